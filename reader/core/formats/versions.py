"""Which extractor (and version) makes a web page's or e-book's text, and the installed
version of a package, cheaply: its `.dist-info` folder is named for it.

importlib.metadata gives the same answer but costs 25-40 ms to import (it reads metadata
with the email package), more than opening a cached web page takes. Installers write
`name-version.dist-info` beside the package (the wheel format says so, with the name
normalized); when that folder is not there, or not alone, importlib.metadata is asked.
"""

from __future__ import annotations

import os
import re
from functools import cache
from importlib.util import find_spec


@cache
def installed_version(distribution: str, package: str) -> str:
    """The version of `distribution`, whose import package is `package`."""
    prefix = re.sub(r"[-_.]+", "_", distribution).lower() + "-"
    try:
        spec = find_spec(package)  # finds it without importing it
        if spec is not None and spec.origin:
            site = os.path.dirname(os.path.dirname(spec.origin))
            found = [
                e.name[len(prefix) : -len(".dist-info")]
                for e in os.scandir(site)
                if e.name.endswith(".dist-info") and e.name.lower().startswith(prefix)
            ]
            if len(found) == 1 and found[0]:
                return found[0]
    except (OSError, ValueError, ImportError):
        pass
    from importlib.metadata import version

    return version(distribution)


def html_extractor() -> str:
    """What makes a web page's text (recorded in the cache and in sidecars)."""
    return (
        f"trafilatura {installed_version('trafilatura', 'trafilatura')}"
        f" + html-to-markdown {installed_version('html-to-markdown', 'html_to_markdown')}"
    )


def epub_extractor() -> str:
    """What makes an e-book's text."""
    return f"html-to-markdown {installed_version('html-to-markdown', 'html_to_markdown')}"
