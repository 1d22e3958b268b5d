"""cme-batch: read CME certificates and report Massachusetts license-renewal compliance."""

__version__ = "0.1.0"
