"""A class's grades (grade_report.GradeReport) as one self-contained HTML page: inline CSS, no
scripts, no external files; it prints well (table headings repeat on each page, rows are not
split, marks carry ✓/✗ as well as colour).
"""

from __future__ import annotations

import html

from ..messages import say, say_count
from .grade_report import CARRIED, RIGHT, SYMBOLS, WRONG, GradeReport, headline, legend
from .render_html import SANS_CJK, page_language

_CSS = """
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; margin: 1.5em auto; max-width: 72em;
       padding: 0 1em; color: #1f2328; line-height: 1.4; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #d0d7de; }
.lead { color: #57606a; margin-top: 0; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.92em; }
th, td { border: 1px solid #d0d7de; padding: 0.25em 0.55em; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.right { background: #dafbe1; } td.wrong { background: #ffebe9; } td.blank { color: #8c959f; }
td.carried-forward { background: #ddf4ff; } .correct { color: #57606a; font-size: 0.85em; }
td.unreadable { background: #fff8c5; }
.mark { font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace; white-space: nowrap; }
.sym { font-weight: bold; margin-left: 0.3em; }
.bar { display: flex; width: 12em; height: 0.9em; border: 1px solid #d0d7de; background: #f6f8fa; }
.bar span { display: block; height: 100%; } .bar .r { background: #2da44e; } .bar .w { background: #cf222e; }
.bar .c { background: #54aeff; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; background: #f6f8fa; padding: 0 0.25em; }
tbody td:first-child { white-space: nowrap; }
ul.explanations li { margin: 0.3em 0; } .count { font-weight: bold; }
.meaning, .who { color: #57606a; }
.problems { border-left: 4px solid #bf8700; background: #fff8c5; padding: 0.4em 1em; }
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  thead { display: table-header-group; } tr, li { break-inside: avoid; } h2 { break-after: avoid; }
}
"""


def _e(text) -> str:
    return html.escape(str(text))


def render_html(report: GradeReport) -> str:
    """The report as a standalone HTML page."""
    title = say("Grades: {source}", source=report.source)
    lang, css = page_language(_CSS, SANS_CJK)
    out = ["<!DOCTYPE html>", f'<html lang="{lang}">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">', f"<title>{_e(title)}</title>",
           f"<style>{css}</style>", "</head>", "<body>", f"<h1>{_e(title)}</h1>",
           f'<p class="lead">{_e(headline(report))}</p>']
    out += _summary(report)
    out += _students(report)
    if report.problems:
        out += [f"<h2>{_e(say('Problems in the input (not graded)'))}</h2>", '<ul class="problems">']
        out += [f"<li>{_e(p)}</li>" for p in report.problems] + ["</ul>"]
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _summary(report: GradeReport) -> list[str]:
    graded = len(report.graded)
    out = [f"<h2>{_e(say('Class summary'))}</h2>", "<table>", "<thead><tr>"]
    out += [f"<th>{_e(h)}</th>" for h in (say("quantity"), say("right"), say("wrong"), say("of them carried forward"),
                                          say("blank"), "")]
    out += ["</tr></thead>", "<tbody>"]
    for t in report.quantity_tallies:
        # green: right; blue: wrong but carried forward from the student's own value; red: their own slip
        right, carried, own = (100 * n / graded if graded else 0 for n in (t.right, t.carried, t.wrong - t.carried))
        label = say("{right} of {count} right", right=t.right, count=graded)
        bar = (f'<div class="bar" role="img" aria-label="{_e(label)}"><span class="r" style="width:{right:.1f}%">'
               f'</span><span class="c" style="width:{carried:.1f}%"></span>'
               f'<span class="w" style="width:{own:.1f}%"></span></div>')
        out.append(f'<tr><td class="mark">{_e(t.quantity)}</td><td class="num">{t.right}</td>'
                   f'<td class="num">{t.wrong}</td><td class="num">{t.carried}</td><td class="num">{t.blank}</td>'
                   f"<td>{bar}</td></tr>")
    out += ["</tbody>", "</table>"]
    if report.slip_tallies:
        out += [f"<h2>{_e(say('The commonest first slips'))}</h2>", '<ul class="explanations">']
        for t in report.slip_tallies:
            count = say_count("1 student", "{count} students", len(t.students))
            out.append(f'<li><span class="count">{_e(count)}</span>: <code>{_e(t.quantity)}</code> '
                       f'<span class="meaning">— {_e(t.sentence)}</span><br><span class="who">'
                       f'{_e(", ".join(t.students))}</span></li>')
        out.append("</ul>")
    out.append(f"<h2>{_e(say('Explanations of the wrong answers'))}</h2>")
    if not report.explanation_tallies:
        return out + [f"<p>{_e(say('No wrong answers.'))}</p>"]
    out.append('<ul class="explanations">')
    for t in report.explanation_tallies:
        count = say_count("1 student", "{count} students", len(t.students))
        out.append(f'<li><span class="count">{_e(count)}</span>: <code>{_e(t.ids)}</code> '
                   f'<span class="meaning">— {_e(t.meaning)}</span><br><span class="who">{_e(", ".join(t.students))}'
                   "</span></li>")
    return out + ["</ul>"]


def _students(report: GradeReport) -> list[str]:
    meanings = {t.ids: t.meaning for t in report.explanation_tallies}
    headings = (say("student"), say("variant"), say("right"), *report.quantities, say("first slip"),
                say("explanation"))
    out = [f"<h2>{_e(say('Students'))}</h2>", f"<p>{_e(legend())}</p>", "<table>", "<thead><tr>"]
    out += [f"<th>{_e(h)}</th>" for h in headings] + ["</tr></thead>", "<tbody>"]
    total = len(report.quantities)
    for s in report.students:
        cells = [f"<td>{_e(s.student)}</td>", f"<td>{_e(s.variant)}</td>"]
        cells.append(f'<td class="num">{_e(say("{right} of {count}", right=s.right, count=total)) if s.graded else ""}'
                     "</td>")
        for m in s.marks:
            symbol = f'<span class="sym">{_e(SYMBOLS[m.state] + ("*" if m.flags else ""))}</span>' \
                if m.state in (RIGHT, WRONG, CARRIED) else ""
            correct = f'<br><span class="correct">{_e(m.correct)}</span>' if m.correct else ""
            title = "; ".join((m.verdict, *m.flags)) if m.verdict else ""
            cells.append(f'<td class="{m.state}" title="{_e(title)}"><span class="mark">{_e(m.written)}</span>'
                         f"{symbol}{correct}</td>")
        cells += ["<td></td>"] * (total - len(s.marks))
        cells.append(f"<td>{_e(s.first_slip.text()) if s.first_slip else ''}</td>")
        if s.graded and s.wrong and s.explanations:
            why = say(" or ").join(f'<code title="{_e(meanings.get(ids, ""))}">{_e(ids)}</code>'
                                   for ids in s.explanations)
        else:
            why = _e(s.explanation_text())
        cells.append(f"<td>{why}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    return out + ["</tbody>", "</table>"]
