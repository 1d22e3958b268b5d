"""The blind (held-out) evaluation set: certificates in layouts the extractor was not built on.

Written without reference to the extractor or to the development set's layouts, from how real
CME certificates and transcripts are worded and laid out. Never tune the extractor on it: it
measures how the tool does on documents from providers nobody here has seen. See README.md.
"""
