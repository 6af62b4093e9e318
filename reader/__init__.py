"""reader: a terminal reading and annotation tool."""

__version__ = "0.1.0"
