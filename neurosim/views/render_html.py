"""A worked solution (document.py) as a standalone HTML page: no scripts, no external files;
formulas through mathtext.to_html."""

from __future__ import annotations

import html

from ..messages import language
from .document import AnswerTable, Bullets, Document, Equation, Equations, Grid, Heading, Inline, Paragraph, Picture
from .mathtext import to_html

SERIF_CJK = "'Noto Serif CJK SC', 'Source Han Serif SC', 'Songti SC', SimSun"  # Chinese text's fonts
SANS_CJK = "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei'"
_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 52em; margin: 2em auto; padding: 0 1em;
       line-height: 1.5; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ccc; }
.eq { margin: 0.2em 0 0.2em 1.5em; }
.eq .value { font-weight: bold; }
.eq .note { color: #666; font-style: italic; }
table { border-collapse: collapse; margin: 0.5em 0; }
td, th { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; }
.group { margin: 0.6em 0; }
figure { margin: 1em 0; } figure svg, figure img { max-width: 100%; height: auto; }
table.answers td { height: 2.4em; } table.answers td + td { width: 18em; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } tr, figure { break-inside: avoid; } }
"""


def _html_inline(parts: Inline) -> str:
    return "".join(html.escape(text) if kind == "text" else to_html(text) for kind, text in parts)


def _html_equation(eq: Equation) -> str:
    sides = [to_html(s) for s in eq.sides()[:-1]]
    sides.append(f'<span class="value">{to_html(eq.value)}</span>')
    note = f' <span class="note">({html.escape(eq.note)})</span>' if eq.note else ""
    return f'<div class="eq">{to_html(eq.lhs)} = {" = ".join(sides)}{note}</div>'


def page_language(css: str, fonts: str) -> tuple[str, str]:
    """(the html element's lang, the style sheet): a Chinese page puts CJK fonts after the first."""
    if language() != "zh":
        return "en", css
    head, sep, rest = css.partition("font-family: ")
    first, comma, others = rest.partition(", ")
    return "zh", f"{head}{sep}{first}, {fonts}, {others}"


def page_start(title: str) -> str:
    """The head of a standalone page titled `title` (the trace tables of `run --format html`)."""
    lang, css = page_language(_CSS, SERIF_CJK)
    title = html.escape(title)
    return "\n".join(["<!DOCTYPE html>", f'<html lang="{lang}">', "<head>", '<meta charset="utf-8">',
                      '<meta name="viewport" content="width=device-width, initial-scale=1">',
                      f"<title>{title}</title>", f"<style>{css}</style>", "</head>", "<body>", ""])


PAGE_END = "</body>\n</html>\n"


def render_html(document: Document) -> str:
    """A standalone HTML page (no scripts, no external files)."""
    title = html.escape(document.title)
    lang, css = page_language(_CSS, SERIF_CJK)
    out = ["<!DOCTYPE html>", f'<html lang="{lang}">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{title}</title>", f"<style>{css}</style>", "</head>", "<body>", f"<h1>{title}</h1>"]
    for block in document.blocks:
        if isinstance(block, Heading):
            out.append(f"<h{block.level}>{html.escape(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            out.append(f"<p>{_html_inline(block.parts)}</p>")
        elif isinstance(block, Bullets):
            out.append("<ul>" + "".join(f"<li>{_html_inline(item)}</li>" for item in block.items) + "</ul>")
        elif isinstance(block, Grid):
            head = "".join(f"<th>{html.escape(h)}</th>" for h in block.headers)
            body = "".join("<tr>" + "".join(f"<td>{_html_inline(cell)}</td>" for cell in row) + "</tr>"
                           for row in block.rows)
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        elif isinstance(block, Equations):
            out.append('<div class="group">' + "".join(_html_equation(eq) for eq in block.items) + "</div>")
        elif isinstance(block, Picture):
            body = block.svg or f'<img src="{html.escape(block.file)}" alt="{html.escape(block.alt)}">'
            out.append(f'<figure role="img" aria-label="{html.escape(block.alt)}">{body}</figure>')
        elif isinstance(block, AnswerTable):
            head = "".join(f"<th>{html.escape(h)}</th>" for h in block.headers)
            body = "".join(f"<tr><td>{_html_inline(item)}</td><td></td></tr>" for item in block.items)
            out.append(f'<table class="answers"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
