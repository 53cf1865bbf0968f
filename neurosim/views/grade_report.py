"""A class's grades as a report (`neurosim grade`): the records check/grading.py fills in, and
their plain-text, Markdown and CSV forms (the HTML page is grade_report_html.py).

Two tables: one row per student (what each quantity got — right ✓, carried forward →, the
student's own slip ✗ with the correct value — how many right, the student's first slip and the ids
of the explanations the diagnosis found, all on the student's row), and the class summary (per
quantity how many students got it right; the commonest first slips; the explanations by how many
students they explain). Then the problems of the input, each with its row and column.
"""

from __future__ import annotations

import csv
import io

import attrs
from tabulate import tabulate

from ..messages import say, say_count
from ..textfiles import spreadsheet_cell
from .render_markdown import md_escape

RIGHT, CARRIED, WRONG, BLANK, UNREADABLE = "right", "carried-forward", "wrong", "blank", "unreadable"
SYMBOLS = {RIGHT: "✓", CARRIED: "→", WRONG: "✗", BLANK: "", UNREADABLE: "?"}


@attrs.frozen
class Mark:
    """One quantity of one student: the value as written ("" when blank), its state, the verdict,
    the correct value (of a value not right) and flags on a right one (truncated, too few decimals)."""

    written: str
    state: str
    verdict: str = ""
    correct: str = ""
    flags: tuple[str, ...] = ()

    def symbol(self) -> str:
        """✓ (✓* when flagged), → carried forward, ✗ and the correct value, ? unreadable."""
        if self.state == WRONG and self.correct:
            return f"{SYMBOLS[WRONG]} {self.correct}"
        return SYMBOLS[self.state] + ("*" if self.flags else "")


@attrs.frozen
class FirstSlip:
    """A student's first wrong line of their own and what was done there (sentence "" if unknown)."""

    quantity: str
    id: str
    sentence: str

    def text(self) -> str:
        return f"{self.quantity}: {self.sentence}" if self.sentence else self.quantity


@attrs.frozen
class StudentGrade:
    """One student's row. `explanations`: the ids of each explanation found ("a + b" for a pair);
    `graded` False when the row could not be graded (`note` says why)."""

    row: int
    student: str
    variant: str
    marks: tuple[Mark, ...]
    explanations: tuple[str, ...] = ()
    graded: bool = True
    note: str = ""
    first_slip: FirstSlip | None = None

    @property
    def right(self) -> int:
        return sum(m.state == RIGHT for m in self.marks)

    @property
    def carried(self) -> int:
        return sum(m.state == CARRIED for m in self.marks)

    @property
    def wrong(self) -> int:
        """Values not right: the student's own slips and those carried forward from them."""
        return sum(m.state in (WRONG, CARRIED) for m in self.marks)

    @property
    def answered(self) -> int:
        return self.right + self.wrong

    def explanation_text(self) -> str:
        """The explanation ids, 'no explanation' when none was found, '' when nothing is wrong."""
        if not self.graded:
            return self.note
        if not self.wrong:
            return ""
        return say(" or ").join(self.explanations) if self.explanations else say("no explanation")


@attrs.frozen
class QuantityTally:
    quantity: str
    right: int
    wrong: int
    blank: int
    carried: int = 0  # of the wrong ones, carried forward from the student's own earlier value


@attrs.frozen
class SlipTally:
    """A first slip (the quantity and the slip's id) and the students who made it first."""

    quantity: str
    id: str
    sentence: str
    students: tuple[str, ...]


@attrs.frozen
class ExplanationTally:
    """An explanation (its ids, or 'no explanation'), what it means, and the students it explains."""

    ids: str
    meaning: str
    students: tuple[str, ...]


@attrs.frozen
class GradeReport:
    source: str
    variants: str
    quantities: tuple[str, ...]
    students: tuple[StudentGrade, ...]
    quantity_tallies: tuple[QuantityTally, ...]
    explanation_tallies: tuple[ExplanationTally, ...]
    problems: tuple[str, ...] = ()
    slip_tallies: tuple[SlipTally, ...] = ()

    @property
    def graded(self) -> tuple[StudentGrade, ...]:
        return tuple(s for s in self.students if s.graded)

    def __repr__(self) -> str:
        return f"GradeReport({self.source!r}: {len(self.graded)} students graded, {len(self.problems)} problems)"


def headline(report: GradeReport) -> str:
    graded = report.graded
    all_right = sum(1 for s in graded if s.answered and not s.wrong and s.answered == len(report.quantities))
    return say_count("{source}: 1 student graded against the variants in {variants}; {all_right} with every value "
                     "right.",
                     "{source}: {count} students graded against the variants in {variants}; {all_right} with every "
                     "value right.", len(graded), source=report.source, variants=report.variants, all_right=all_right)


def student_rows(report: GradeReport, symbols: bool = True) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The per-student table: headings and rows (marks as ✓/→/✗, or as state words for CSV)."""
    headings = (say("student"), say("variant"), say("right"), *report.quantities, say("first slip"),
                say("explanation"))
    rows = []
    for s in report.students:
        marks = [m.symbol() if symbols else m.state for m in s.marks]
        score = say("{right} of {count}", right=s.right, count=len(report.quantities)) if s.graded else ""
        slip = s.first_slip.text() if s.first_slip is not None else ""
        rows.append((s.student, s.variant, score, *marks, slip, s.explanation_text()))
    return headings, rows


def legend() -> str:
    return say("✓ right (✓* right, with a flag: the last digit truncated, or fewer decimals than asked); → carried "
               "forward: wrong, but right from the student's own earlier value; ✗ the student's own slip, with the "
               "correct value.")


def slip_lines(report: GradeReport) -> list[str]:
    """'5 students: net_o1 — out_h1 in place of out_h2 (ana, …)', commonest first."""
    return [say_count("1 student: {slip} ({students})", "{count} students: {slip} ({students})", len(t.students),
                      slip=f"{t.quantity} — {t.sentence}" if t.sentence else t.quantity,
                      students=", ".join(t.students))
            for t in report.slip_tallies]


def quantity_rows(report: GradeReport) -> tuple[tuple[str, ...], list[tuple]]:
    headings = (say("quantity"), say("right"), say("wrong"), say("of them carried forward"), say("blank"))
    return headings, [(t.quantity, t.right, t.wrong, t.carried, t.blank) for t in report.quantity_tallies]


def explanation_lines(report: GradeReport) -> list[str]:
    """'9 students: sequential-update — a layer's new weights …', most students first."""
    return [say_count("1 student: {ids} — {meaning} ({students})", "{count} students: {ids} — {meaning} ({students})",
                      len(t.students), ids=t.ids, meaning=t.meaning, students=", ".join(t.students))
            for t in report.explanation_tallies]


def render_plain(report: GradeReport, tablefmt: str = "simple") -> str:
    """The report as text tables (tabulate's `simple`, or `github` for Markdown)."""
    headings, rows = student_rows(report)
    q_headings, q_rows = quantity_rows(report)
    markdown = tablefmt == "github"
    if markdown:  # names, variants, headings and the file's name are the class's own text: shown as written
        report, (headings, rows), (q_headings, q_rows) = _escaped(report, headings, rows, q_headings, q_rows)
    title = (lambda text: f"## {text}\n") if markdown else (lambda text: text)
    bullet = "- " if markdown else "  "
    parts = [f"# {headline(report)}" if markdown else headline(report), "",
             title(say("Students")), tabulate(rows, headings, tablefmt=tablefmt, disable_numparse=True), legend(), "",
             title(say("Class summary: right answers per quantity")),
             tabulate(q_rows, q_headings, tablefmt=tablefmt, disable_numparse=True), ""]
    slips = [md_escape(line) for line in slip_lines(report)] if markdown else slip_lines(report)
    if slips:
        parts += [title(say("The commonest first slips"))] + [bullet + line for line in slips] + [""]
    parts += [title(say("Explanations of the wrong answers"))]
    lines = [md_escape(line) for line in explanation_lines(report)] if markdown else explanation_lines(report)
    parts += [bullet + line for line in lines] if lines else [say("No wrong answers.")]
    if report.problems:
        parts += ["", title(say("Problems in the input (not graded)"))] + [bullet + p for p in report.problems]
    return "\n".join(parts) + "\n"


def _escaped(report: GradeReport, headings, rows, q_headings, q_rows):
    def cells(table):
        return [tuple(md_escape(str(c)) for c in row) for row in table]

    report = attrs.evolve(report, source=md_escape(report.source), variants=md_escape(str(report.variants)),
                          problems=tuple(md_escape(p) for p in report.problems))
    return report, (cells([headings])[0], cells(rows)), (cells([q_headings])[0], cells(q_rows))


def render_markdown(report: GradeReport) -> str:
    return render_plain(report, "github")


def render_csv(report: GradeReport) -> str:
    """The per-student table as CSV: one row per student, each quantity as right/wrong/blank/unreadable."""
    headings, rows = student_rows(report, symbols=False)
    headings = (*headings[:2], say("right"), say("carried forward"), say("answered"), *report.quantities,
                say("first slip"), say("first slip id"), say("explanation"))
    rows = [(*row[:2], s.right if s.graded else "", s.carried if s.graded else "", s.answered if s.graded else "",
             *row[3:-1], s.first_slip.id if s.first_slip else "", row[-1])
            for row, s in zip(rows, report.students)]
    return _csv([headings, *rows])


def render_summary_csv(report: GradeReport) -> str:
    """The class summary as CSV: kind (quantity or explanation), name, count, then detail."""
    lines: list[tuple] = [(say("kind"), say("name"), say("students"), say("right"), say("wrong"), say("blank"))]
    graded = len(report.graded)
    lines += [("quantity", t.quantity, graded, t.right, t.wrong, t.blank) for t in report.quantity_tallies]
    lines += [("first slip", f"{t.quantity}: {t.id}", len(t.students), "", "", "") for t in report.slip_tallies]
    lines += [("explanation", t.ids, len(t.students), "", "", "") for t in report.explanation_tallies]
    return _csv(lines)


def _csv(rows) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([spreadsheet_cell(c) for c in row] for row in rows)
    return buffer.getvalue()
