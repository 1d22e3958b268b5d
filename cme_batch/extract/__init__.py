"""Readers: one inbox file to page texts (PDF text layer, rendering, OCR)."""
