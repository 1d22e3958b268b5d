"""``python -m cme_batch``."""

import sys

from cme_batch.cli import main

sys.exit(main())
