"""A tiny document model rendered to Markdown and to self-contained HTML.

The postmortem is built once as sections of blocks and rendered twice, so the
Markdown and the HTML page can never say different things. Inline markup is
limited to ``**bold**`` and ```code``` on purpose: enough for timeline markers
and commands, small enough to escape safely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`]+)`")


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of text."""

    text: str


@dataclass(frozen=True)
class Bullets:
    """A bulleted list."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table with a header row."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Preformatted:
    """Text shown as is (the scorecard appendix)."""

    text: str


@dataclass(frozen=True)
class Figure:
    """An SVG figure: inline in HTML, a caption only in Markdown."""

    svg: str
    caption: str


Block = Paragraph | Bullets | Table | Preformatted | Figure


@dataclass(frozen=True)
class Section:
    """A titled section of blocks (level 2 heading)."""

    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    """A titled document of sections."""

    title: str
    sections: tuple[Section, ...]


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return block.text
    if isinstance(block, Bullets):
        return "\n".join(f"- {item}" for item in block.items)
    if isinstance(block, Table):
        lines = [
            "| " + " | ".join(_md_cell(h) for h in block.headers) + " |",
            "|" + "|".join(" --- " for _ in block.headers) + "|",
        ]
        lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in block.rows]
        return "\n".join(lines)
    if isinstance(block, Preformatted):
        return "```text\n" + block.text + "\n```"
    return f"*{block.caption} (see the HTML version for the chart)*"


def to_markdown(doc: Document) -> str:
    """The document as Markdown (ends with one newline)."""
    parts = [f"# {doc.title}"]
    for section in doc.sections:
        parts.append(f"## {section.title}")
        parts += [_md_block(b) for b in section.blocks]
    return "\n\n".join(parts) + "\n"


def inline_html(text: str) -> str:
    """Escape text, then turn ``**bold**`` and ```code``` into tags."""
    html = escape(text, quote=False)
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    return _CODE.sub(r"<code>\1</code>", html)


def _html_block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{inline_html(block.text)}</p>"
    if isinstance(block, Bullets):
        items = "".join(f"<li>{inline_html(i)}</li>" for i in block.items)
        return f"<ul>{items}</ul>"
    if isinstance(block, Table):
        head = "".join(f"<th>{inline_html(h)}</th>" for h in block.headers)
        body = "".join(
            "<tr>" + "".join(f"<td>{inline_html(c)}</td>" for c in row) + "</tr>"
            for row in block.rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    if isinstance(block, Preformatted):
        return f"<pre>{escape(block.text, quote=False)}</pre>"
    return f"<figure>{block.svg}<figcaption>{inline_html(block.caption)}</figcaption></figure>"


STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #1c2833; line-height: 1.45; }
table { border-collapse: collapse; margin: 0.5rem 0; }
th, td { border: 1px solid #d5d8dc; padding: 0.25rem 0.5rem; text-align: left;
         vertical-align: top; }
th { background: #f2f3f4; }
pre { background: #f8f9f9; padding: 0.75rem; overflow-x: auto; font-size: 0.85rem; }
code { background: #f2f3f4; padding: 0 0.2rem; }
figure { margin: 1rem 0; }
figcaption { font-size: 0.85rem; color: #566573; }
"""
"""Inline CSS: the page must render offline, with nothing fetched."""


def to_html(doc: Document) -> str:
    """The document as one self-contained HTML page (inline CSS, inline SVG, no scripts)."""
    body = [f"<h1>{inline_html(doc.title)}</h1>"]
    for section in doc.sections:
        body.append(f"<h2>{inline_html(section.title)}</h2>")
        body += [_html_block(b) for b in section.blocks]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(doc.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
