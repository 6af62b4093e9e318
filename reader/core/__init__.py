"""The core of reader: documents, anchoring, the annotation store and search.

Nothing in this package imports Textual; the UI and the CLI sit on top of it.
"""
