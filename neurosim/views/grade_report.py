"""A class's grades as a report (`neurosim grade`): the records check/grading.py fills in, and
their plain-text, Markdown and CSV forms (the HTML page is grade_report_html.py).

Two tables: one row per student (what each quantity got, how many right, the ids of the
explanations the diagnosis found, all on the student's row), and the class summary (per quantity
how many students got it right; the explanations by how many students they explain). Then the
problems of the input, each with its row and column.
"""

from __future__ import annotations

import csv
import io

import attrs
from tabulate import tabulate

from ..messages import say, say_count

RIGHT, WRONG, BLANK, UNREADABLE = "right", "wrong", "blank", "unreadable"
SYMBOLS = {RIGHT: "✓", WRONG: "✗", BLANK: "", UNREADABLE: "?"}


@attrs.frozen
class Mark:
    """One quantity of one student: the value as written ("" when blank), its state, the verdict."""

    written: str
    state: str
    verdict: str = ""


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

    @property
    def right(self) -> int:
        return sum(m.state == RIGHT for m in self.marks)

    @property
    def wrong(self) -> int:
        return sum(m.state == WRONG for m in self.marks)

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
    """The per-student table: headings and rows (marks as ✓/✗, or as state words for CSV)."""
    headings = (say("student"), say("variant"), say("right"), *report.quantities, say("explanation"))
    rows = []
    for s in report.students:
        marks = [SYMBOLS[m.state] if symbols else m.state for m in s.marks]
        score = say("{right} of {count}", right=s.right, count=len(report.quantities)) if s.graded else ""
        rows.append((s.student, s.variant, score, *marks, s.explanation_text()))
    return headings, rows


def quantity_rows(report: GradeReport) -> tuple[tuple[str, ...], list[tuple]]:
    headings = (say("quantity"), say("right"), say("wrong"), say("blank"))
    return headings, [(t.quantity, t.right, t.wrong, t.blank) for t in report.quantity_tallies]


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
    title = (lambda text: f"## {text}\n") if markdown else (lambda text: text)
    bullet = "- " if markdown else "  "
    parts = [f"# {headline(report)}" if markdown else headline(report), "",
             title(say("Students")), tabulate(rows, headings, tablefmt=tablefmt, disable_numparse=True), "",
             title(say("Class summary: right answers per quantity")),
             tabulate(q_rows, q_headings, tablefmt=tablefmt, disable_numparse=True), "",
             title(say("Explanations of the wrong answers"))]
    lines = explanation_lines(report)
    parts += [bullet + line for line in lines] if lines else [say("No wrong answers.")]
    if report.problems:
        parts += ["", title(say("Problems in the input (not graded)"))] + [bullet + p for p in report.problems]
    return "\n".join(parts) + "\n"


def render_markdown(report: GradeReport) -> str:
    return render_plain(report, "github")


def render_csv(report: GradeReport) -> str:
    """The per-student table as CSV: one row per student, each quantity as right/wrong/blank/unreadable."""
    headings, rows = student_rows(report, symbols=False)
    headings = (*headings[:2], say("right"), say("answered"), *report.quantities, say("explanation"))
    rows = [(*row[:2], s.right if s.graded else "", s.answered if s.graded else "", *row[3:])
            for row, s in zip(rows, report.students)]
    return _csv([headings, *rows])


def render_summary_csv(report: GradeReport) -> str:
    """The class summary as CSV: kind (quantity or explanation), name, count, then detail."""
    lines: list[tuple] = [(say("kind"), say("name"), say("students"), say("right"), say("wrong"), say("blank"))]
    graded = len(report.graded)
    lines += [("quantity", t.quantity, graded, t.right, t.wrong, t.blank) for t in report.quantity_tallies]
    lines += [("explanation", t.ids, len(t.students), "", "", "") for t in report.explanation_tallies]
    return _csv(lines)


def _csv(rows) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()
