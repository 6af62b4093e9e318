"""Small EPUBs and web pages built by the tests themselves (no downloaded fixtures)."""

from __future__ import annotations

import zipfile
from pathlib import Path

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>"""

CHAPTERS = [
    (
        "Chapter One",
        "<p>It was a bright cold day in April, and the clocks were striking thirteen.</p>"
        '<h2 id="later">Later that day</h2><p>The hallway smelt of boiled cabbage.</p>',
    ),
    (
        "Chapter Two",
        "<p>Outside, even through the shut window-pane, the world looked cold.</p>"
        '<p><img src="../images/map.png" alt="A map of the city"/></p>'
        "<blockquote><p>War is peace.</p></blockquote>"
        "<ul><li>first thing</li><li>second thing</li></ul>",
    ),
]


def chapter_xhtml(title: str, body: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        f"<head><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>"
    )


def opf(version: str, title: str, author: str, n: int, nav: bool) -> str:
    items = "".join(
        f'<item id="c{i}" href="text/ch{i}.xhtml" media-type="application/xhtml+xml"/>'
        for i in range(n)
    )
    if nav:
        items += (
            '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        )
    items += '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>'
    spine = "".join(f'<itemref idref="c{i}"/>' for i in range(n))
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>'
        f'<package xmlns="http://www.idpf.org/2007/opf" version="{version}" unique-identifier="id">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:identifier id="id">urn:x</dc:identifier><dc:title>{title}</dc:title>'
        f"<dc:creator>{author}</dc:creator><dc:language>en</dc:language></metadata>"
        f'<manifest>{items}</manifest><spine toc="ncx">{spine}</spine></package>'
    )


def nav_xhtml(toc: list[tuple[str, str]]) -> str:
    lis = "".join(f'<li><a href="{href}">{t}</a></li>' for t, href in toc)
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        f'<head><title>Contents</title></head><body><nav epub:type="toc"><ol>{lis}</ol></nav>'
        "</body></html>"
    )


def ncx(toc: list[tuple[str, str]]) -> str:
    points = "".join(
        f'<navPoint id="p{i}" playOrder="{i + 1}"><navLabel><text>{t}</text></navLabel>'
        f'<content src="{href}"/></navPoint>'
        for i, (t, href) in enumerate(toc)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<!DOCTYPE ncx PUBLIC "-//NISO//DTD ncx 2005-1//EN" '
        '"http://www.daisy.org/z3986/2005/ncx-2005-1.dtd">'
        '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">'
        f"<navMap>{points}</navMap></ncx>"
    )


def make_epub(
    path: Path,
    version: str = "3.0",
    title: str = "Nineteen Eighty-Four",
    author: str = "George Orwell",
    chapters: list[tuple[str, str]] | None = None,
    extra: dict[str, bytes | str] | None = None,
    toc: list[tuple[str, str]] | None = None,
) -> Path:
    """An EPUB 3 (nav.xhtml and toc.ncx) or EPUB 2 (toc.ncx only) book."""
    chapters = CHAPTERS if chapters is None else chapters
    if toc is None:
        toc = [("One", "text/ch0.xhtml"), ("Later that day", "text/ch0.xhtml#later")]
        toc += [("Two", "text/ch1.xhtml")] if len(chapters) > 1 else []
    epub3 = version.startswith("3")
    members: dict[str, bytes | str] = {
        "META-INF/container.xml": CONTAINER,
        "OEBPS/content.opf": opf(version, title, author, len(chapters), nav=epub3),
    }
    for i, (t, body) in enumerate(chapters):
        members[f"OEBPS/text/ch{i}.xhtml"] = chapter_xhtml(t, body)
    if epub3:
        members["OEBPS/nav.xhtml"] = nav_xhtml(toc)
    members["OEBPS/toc.ncx"] = ncx(toc if not epub3 else toc[:1])
    members.update(extra or {})  # a test's own version of a member replaces the default
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        for name, data in members.items():
            z.writestr(name, data, zipfile.ZIP_DEFLATED)
    return path


ARTICLE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>The Long Read | Example News</title>
<meta name="author" content="Jane Writer">
<meta property="og:title" content="The Long Read">
<script>document.title = "SCRIPT RAN"; console.log("\\x1b[31m")</script>
<style>body { color: red }</style>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news</a></li></ul></nav>
<article>
<h1>The Long Read</h1>
<p>This is the first paragraph of the article, which talks about many interesting things
in the world of reading. It continues for a while so that it looks like real content.</p>
<h2>A section heading</h2>
<p>Second paragraph with <em>emphasis</em> and <strong>strong words</strong> and a
<a href="https://example.org/x">link to elsewhere</a> for good measure, and more words.</p>
<ul><li>First item of the list</li><li>Second item of the list</li></ul>
<blockquote><p>A quoted passage that someone said once upon a time in a land.</p></blockquote>
<pre><code>def hello():
    print("hi")
</code></pre>
<p>Final paragraph closes the article with a thought about the future of reading.
<img src="cat.png" alt="A picture of a cat"></p>
</article>
<footer>Copyright 2024 Example News. All rights reserved. Privacy policy.</footer>
</body></html>
"""


def make_page(path: Path, html: str = ARTICLE, encoding: str = "utf-8") -> Path:
    path.write_bytes(html.encode(encoding))
    return path
