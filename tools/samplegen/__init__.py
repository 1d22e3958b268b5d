"""Generator of realistic, fictional CME certificates for the demo inbox and the evaluation set.

Not shipped with ``cme_batch``: it lives under ``tools/`` and is run by
``tools/make_sample_inbox.py`` and ``tools/make_eval_set.py``. Every person, provider and
license number here is invented.

Modules:
    model: the dataclasses (physician, activity, document specification, truth rows).
    vocab: names, providers, activity titles with their topics, credit systems.
    fmt: the printed forms of names, dates and credit amounts.
    layouts: one drawing function per certificate layout (reportlab canvas).
    degrade: scanner and phone-camera degradation of rasterized pages.
    render: a document specification to files on disk plus its truth rows.
    rules: a small reference evaluator of the Massachusetts rules, used to check that the
        sample inbox's physicians really have their intended statuses.
    truth: writers of roster, truth and document-truth CSV files.
"""
