"""A page to explore and practise a step (`neurosim page`): one self-contained HTML file — its style,
its script and the network's drawing inline, nothing fetched, so it opens from disk and works
offline. The drawing (page_svg.py) opens a panel per neuron, weight and bias; each panel's lines
come from the worked solution (page_equations.py) with every factor a link to its own line; the
stage tables of `neurosim run` follow. With `practice`, the computed values are hidden and the
student writes them in, each judged as `check` judges it (page_judge.js, the rules of
check/verdict.py). Every language's sentences are in the page (page_text.py), so it switches
between them.
"""

from __future__ import annotations

import html
import json
from importlib import resources

from ..core.exercise import Spec
from ..core.notation import NameMap
from ..core.trace import StepTrace
from ..messages import LANGUAGES, say, speaking
from .elide import ELIDED_AT_SIZE
from .notation_view import header_in_notation
from .numbers import fmt
from .page_data import page_data
from .page_subset import drawn_of
from .page_svg import network_svg
from .page_text import UI
from .render_html import SANS_CJK
from .report import render_step

__all__ = ["render_page", "asset"]


def asset(name: str) -> str:
    """A file shipped beside this module (page.css, page.js, page_judge.js)."""
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _language_css() -> str:
    """Only the chosen language's texts show; Chinese text gets CJK fonts."""
    rules = [f'html:not([lang="{code}"]) [data-lang="{code}"] {{ display: none !important; }}' for code in LANGUAGES]
    rules.append(f'html[lang="zh"] body {{ font-family: system-ui, {SANS_CJK}, sans-serif; }}')
    return "\n".join(rules)


def _tables(traces: list[StepTrace], names: NameMap, digits: int, samples: int | None) -> str:
    """The stage tables of every traced step in every language, as `neurosim run --format html` writes them."""
    parts = []
    for k, trace in enumerate(traces):
        for code in LANGUAGES:
            with speaking(code):
                body = render_step(trace, "html", digits, samples, shown=ELIDED_AT_SIZE,
                                   names=None if names.identity else names)
            hidden = " hidden" if k else ""
            parts.append(f'<div class="step-tables" data-step="{trace.step}" data-lang="{code}"{hidden}>{body}</div>')
    return "".join(parts)


def _ui(key: str, tag: str = "span", attributes: str = "") -> str:
    """An element with its text in every language (the style sheet shows the chosen one's)."""
    texts = []
    for code in LANGUAGES:
        with speaking(code):
            texts.append(f'<span data-lang="{code}">{html.escape(say(UI[key]))}</span>')
    return f"<{tag}{attributes}>{''.join(texts)}</{tag}>"


def _practice_section() -> str:
    """The list the student writes in (the script fills it), the progress line, the name and the buttons."""
    return ('<section id="practice">' + _ui("practiceTitle", "h2") + _ui("practise", "p", ' class="intro"')
            + '<div id="practice-list"></div><p id="progress"></p><p class="actions"><label>'
            + '<span data-ui="student"></span> <input id="student" autocomplete="name"></label> '
            + '<button id="export" type="button" data-ui="export"></button> '
            + '<button id="clear" type="button" data-ui="clear"></button></p></section>')


def render_page(spec: Spec, traces: list[StepTrace], names: NameMap, digits: int, *, practice: bool = False,
                language: str = "en", variant: str = "") -> str:
    """The page of the traced steps `traces` of `spec`, in the notation of `names`; `variant` names the
    exercise in the answers CSV (its file's name, where the exercise has no variant id)."""
    drawn = drawn_of(traces[0], spec.samples_shown)
    data = page_data(spec, traces, names, drawn, digits, practice, language)
    data["variant"] = data["variant"] or variant
    svg = network_svg(drawn, names, {u.name: fmt(u.old, digits) for u in traces[0].updates}, traces[0].has_loss)
    title = html.escape(spec.title)
    description = f'<p class="description">{html.escape(spec.description)}</p>' if spec.description else ""
    headers = "".join(f'<p class="conventions" data-step="{t.step}" data-lang="{code}"{" hidden" if k else ""}>'
                      f"{html.escape(_header(t, names, code))}</p>"
                      for k, t in enumerate(traces) for code in LANGUAGES)
    tables = "" if practice else ('<section id="tables">' + _ui("tables", "h2")
                                  + _tables(traces, names, digits, drawn.samples or None) + "</section>")
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return "".join([
        "<!DOCTYPE html>\n", f'<html lang="{language}" data-practice="{int(practice)}">', "<head>",
        '<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title><style>{asset('page.css')}\n{_language_css()}</style></head><body>",
        f'<header><h1>{title}</h1>{description}<nav id="controls"></nav>{headers}</header>',
        '<main><section id="explore">', _ui("look" if practice else "explore", "p", ' class="intro"'),
        f'<div id="figure"><div id="drawing">{svg}</div><aside id="panel" aria-live="polite"></aside></div>',
        "</section>", _practice_section() if practice else "", tables, "</main>",
        f'<script type="application/json" id="page-data">{payload}</script>',
        f"<script>{asset('page_judge.js')}</script>", f"<script>{asset('page_follow.js')}</script>" if practice else "",
        f"<script>{asset('page.js')}</script>", "</body></html>\n"])


def _header(trace: StepTrace, names: NameMap, code: str) -> str:
    """The step's heading (its conventions) in language `code` and the notation."""
    with speaking(code):
        return header_in_notation(trace.header, None if names.identity else names)
