"""A class's answers (`neurosim grade`): a spreadsheet export with one row per student.

    student,variant,E_total,w5+,w1+@1
    Ana,v01,0.2984,0.3589,0.1498

The first two headings are `student` and `variant`; every other column is a quantity, named as
in [expect]. The file is read as spreadsheets write it: comma-, semicolon- or tab-separated (the
most frequent of them in the first row), UTF-8 with or without a byte-order mark (or UTF-16 with
one), decimal commas as many locales type them ("0,3589"; quoted in a comma-separated file).
Values stay text, digits as typed ("0.3590" keeps its four decimals).

Nothing is refused as a whole but a file without the two headings: each bad row or cell is a
`Problem` (row and column as the spreadsheet numbers them) and is left out; the rest is read.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from pathlib import Path

import attrs

from ..core.written import TooManyDigits, parse_written
from ..errors import NeurosimError
from ..messages import say

DELIMITERS = (",", ";", "\t")
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+(?:[eE][+-]?\d+)?")
_SPACES = "\u00a0\u202f\u2009 \t"


@attrs.frozen
class Problem:
    """A bad row or cell: its row (the header is row 1), its column (1 = A; None: the whole row)."""

    row: int
    column: int | None
    message: str

    def describe(self, headings: tuple[str, ...]) -> str:
        if self.column is None:
            return say("row {row}: {message}", row=self.row, message=self.message)
        heading = headings[self.column - 1] if self.column <= len(headings) else ""
        return say("row {row}, column {letter} ({heading}): {message}", row=self.row, letter=column_letter(self.column),
                   heading=heading, message=self.message) if heading else \
            say("row {row}, column {letter}: {message}", row=self.row, letter=column_letter(self.column),
                message=self.message)


@attrs.frozen
class AnswerRow:
    """One student's row: the values given, as (quantity column index from 0, text) pairs, and the
    cells that could not be read as numbers (same form, text as typed)."""

    row: int
    student: str
    variant: str
    values: tuple[tuple[int, str], ...]
    unreadable: tuple[tuple[int, str], ...] = ()


@attrs.frozen
class ClassAnswers:
    """The rows read, the quantity columns (the headings after student and variant), the problems."""

    source: str
    headings: tuple[str, ...]
    rows: tuple[AnswerRow, ...]
    problems: tuple[Problem, ...]

    @property
    def quantities(self) -> tuple[str, ...]:
        return self.headings[2:]


def column_letter(column: int) -> str:
    """A spreadsheet's name of a column: 1 → A, 26 → Z, 27 → AA."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_answers(path: str | Path) -> ClassAnswers:
    """The class's answers from a CSV file (see the module docstring)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NeurosimError(say("{path}: no such file", path=path)) from None
    except OSError as error:
        raise NeurosimError(say("{path}: cannot be read ({error})", path=path, error=error.strerror or error)) from None
    encoding = "utf-16" if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise NeurosimError(say("{path}: not UTF-8 text (save the spreadsheet as CSV UTF-8)", path=path)) from None
    return parse_answers(text, path.name)


# the first two headings, as neurosim's own grades.csv writes them in each language (student, variant)
FIRST_HEADINGS = (("student", "variant"), ("学生", "变体"))

def parse_answers(text: str, source: str = "answers") -> ClassAnswers:
    """The class's answers from the text of a CSV file."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first.count)
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not records:
        raise NeurosimError(say("{source}: the file is empty", source=source))
    headings = tuple(cell.strip(_SPACES) for cell in records[0])
    while headings and not headings[-1]:
        headings = headings[:-1]  # spreadsheets pad rows with empty cells
    if len(headings) < 2 or tuple(h.casefold() for h in headings[:2]) not in FIRST_HEADINGS:
        raise NeurosimError(say("{source}: the first row must start with the headings student, variant and then "
                                "one column per quantity (e.g. student,variant,w5+,w1+); it starts with {cells}",
                                source=source, cells=", ".join(headings[:3]) or say("nothing")))
    if len(headings) == 2:
        raise NeurosimError(say("{source}: no quantity columns after student, variant (e.g. "
                                "student,variant,w5+,w1+)", source=source))
    problems = [Problem(1, k, say("the column has no heading; it is not graded"))
                for k, h in enumerate(headings[2:], start=3) if not h]
    seen_heading = {}
    for k, heading in enumerate(headings[2:], start=3):
        if heading and heading in seen_heading:
            problems.append(Problem(1, k, say("the heading {heading} is already column {letter}; this column is not "
                                              "graded", heading=heading, letter=column_letter(seen_heading[heading]))))
        seen_heading.setdefault(heading, k)
    graded = [k for k in range(3, len(headings) + 1) if headings[k - 1] and seen_heading[headings[k - 1]] == k]
    rows, students = [], {}
    for number, record in enumerate(records[1:], start=2):
        row = _row(number, record, headings, graded, problems)
        if row is None:
            continue
        key = unicodedata.normalize("NFC", " ".join(row.student.split())).casefold()  # é typed or é combined
        if key in students:
            problems.append(Problem(number, 1, say("{student} is already in row {first}; this row is not graded",
                                                   student=row.student, first=students[key])))
            continue
        students[key] = number
        rows.append(row)
    if not rows and not problems:
        raise NeurosimError(say("{source}: no student rows under the headings", source=source))
    return ClassAnswers(source, headings, tuple(rows), tuple(problems))


def _row(number: int, record: list[str], headings: tuple[str, ...], graded: list[int],
         problems: list[Problem]) -> AnswerRow | None:
    """One student's row (None for a blank row or one without a student or a variant)."""
    cells = [cell.strip(_SPACES) for cell in record]
    if not any(cells):
        return None
    cells += [""] * (len(headings) - len(cells))
    for k in range(len(headings) + 1, len(cells) + 1):
        if cells[k - 1]:
            problems.append(Problem(number, k, say("a value in a column without a heading; it is not graded")))
    student, variant = cells[0], cells[1]
    if not student or not variant:
        problems.append(Problem(number, 1 if not student else 2,
                                say("no student name; the row is not graded") if not student
                                else say("no variant; the row is not graded")))
        return None
    values, unreadable = [], []
    for k in graded:
        text = cells[k - 1]
        if not text:
            continue
        number_text = written_number(text)
        if number_text is None:
            reason = _too_many_digits(text)
            problems.append(Problem(number, k, say("{reason}; it is not graded", reason=reason) if reason else
                                    say("'{text}' is not a number; it is not graded", text=text)))
            unreadable.append((k - 3, text))
        else:
            values.append((k - 3, number_text))
    return AnswerRow(number, student, variant, tuple(values), tuple(unreadable))


def written_number(text: str) -> str | None:
    """A cell as a number written down ("0,3589" → "0.3589", "−0.2" → "-0.2"), or None."""
    cleaned = _cleaned(text)
    try:
        parse_written(cleaned)
    except NeurosimError:
        return None
    return cleaned


def _cleaned(text: str) -> str:
    cleaned = "".join(c for c in text if c not in _SPACES).replace("\u2212", "-")
    return cleaned.replace(",", ".") if _DECIMAL_COMMA.fullmatch(cleaned) else cleaned


def _too_many_digits(text: str) -> str | None:
    """Why a cell that is a number cannot be judged (more digits than MAX_DECIMALS), or None."""
    try:
        parse_written(_cleaned(text))
    except TooManyDigits as error:
        return str(error)
    except NeurosimError:
        return None
    return None
