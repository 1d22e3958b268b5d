"""Report templates (installed as the ``cme_batch.templates`` package; see pyproject)."""
