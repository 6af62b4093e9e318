"""The Textual user interface of reader (sits on reader.core)."""
