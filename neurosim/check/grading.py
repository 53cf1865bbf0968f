"""Grading a class (`neurosim grade`): every student's row of answers (files/answers.py) checked
against the student's variant at the precision written (checker.check_values), and — where a
value is wrong — the diagnosis run on the student's values (diagnose.diagnose), whose explanations
are the student's explanation ids. Then the class summary: per quantity how many students got it
right, and the explanations by the number of students they explain. The result is a
views.grade_report.GradeReport.

Bad input does not stop the grading: an unknown variant, an unknown quantity column, a repeated
student or a cell that is not a number is a problem with its row and column, and that row, column
or cell is left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from ..core.exercise import Expected, Spec
from ..core.notation import name_map
from ..errors import NeurosimError
from ..files.answers import AnswerRow, ClassAnswers, Problem
from ..files.exercise import load_spec
from ..files.figures import parse_expected
from ..messages import say, say_count
from ..views.grade_report import (
    BLANK,
    CARRIED,
    RIGHT,
    UNREADABLE,
    WRONG,
    ExplanationTally,
    FirstSlip,
    GradeReport,
    Mark,
    QuantityTally,
    SlipTally,
    StudentGrade,
)
from ..views.numbers import fmt
from .conventions_read import CONVENTIONS
from .judge import check_values
from .mistakes import BY_ID
from .pipeline import FOLLOWS, diagnose_check
from .pipeline import RIGHT as RIGHT_VERDICT
from .verdict import ROUNDED

NO_EXPLANATION = "no explanation"


class _Variants:
    """The variant files of a directory, read when first needed: v07 is DIR/v07.toml (v7 finds it too)."""

    def __init__(self, directory: Path):
        if not directory.exists():
            raise NeurosimError(say("--variants: {path}: no such directory", path=directory))
        if not directory.is_dir():
            raise NeurosimError(say("--variants: {path} is not a directory", path=directory))
        self.directory = directory
        self.files = {path.stem: path for path in sorted(directory.glob("*.toml"))}
        if not self.files:
            raise NeurosimError(say("--variants: no exercise files (*.toml) in {path}", path=directory))
        self.loaded: dict[str, Spec | str] = {}

    def find(self, name: str) -> str | None:
        """The id of the variant file `name` means, or None."""
        if name in self.files:
            return name
        number = re.fullmatch(r"v?0*(\d+)", name.strip().casefold())
        matches = [stem for stem in self.files
                   if number and re.fullmatch(rf"v?0*{number.group(1)}", stem.casefold())]
        return matches[0] if len(matches) == 1 else None

    @property
    def has_variant_files(self) -> bool:
        """Whether any file is named as `neurosim variants` names them (v01.toml, v7.toml)."""
        return any(re.fullmatch(r"v\d+", stem.casefold()) for stem in self.files)

    @property
    def files_shown(self) -> list[str]:
        """The directory's exercise files, the first few."""
        names = [path.name for path in self.files.values()]
        return names[:4] + (["…"] if len(names) > 4 else [])

    def spec(self, ident: str) -> Spec | str:
        """The variant's exercise, or the one-line error that reading it gave."""
        if ident not in self.loaded:
            try:
                self.loaded[ident] = load_spec(self.files[ident])
            except NeurosimError as error:
                self.loaded[ident] = str(error)
        return self.loaded[ident]


def grade_class(answers: ClassAnswers, variants_dir: str | Path,
                on_student: Callable[[int], None] | None = None) -> GradeReport:
    """Grade every row of `answers` against its variant in `variants_dir` (see the module docstring);
    `on_student(k)` is called after the k-th student is graded (the CLI's progress line)."""
    variants = _Variants(Path(variants_dir))
    problems = list(answers.problems)
    rows = []
    for row in answers.rows:
        ident = variants.find(row.variant)
        spec = variants.spec(ident) if ident else say("no variant file {name}.toml", name=row.variant)
        if isinstance(spec, str):
            problems.append(Problem(row.row, 2, say("{reason}; the row is not graded", reason=spec)))
        rows.append((row, spec))
    first = next((spec for _, spec in rows if not isinstance(spec, str)), None)
    known = _known_columns(answers, first, problems) if first else [True] * len(answers.quantities)
    quantities = tuple(q for q, ok in zip(answers.quantities, known) if ok)
    unknown = {k for k, ok in enumerate(known, start=3) if not ok}  # their cells are not read: no more problems
    problems = [p for p in problems if p.row == 1 or p.column not in unknown]
    cache: dict = {}
    students = []
    for k, (row, spec) in enumerate(rows, start=1):
        students.append(_grade_row(row, spec, answers, known, cache))
        if on_student is not None:
            on_student(k)
    students = tuple(students)
    problems.sort(key=lambda p: (p.row, p.column or 0))
    described = [p.describe(answers.headings) for p in problems]
    if any(variants.find(row.variant) is None for row in answers.rows) and not variants.has_variant_files:
        described.insert(0, say("--variants {path}: holds no variant files (vNN.toml, as `neurosim variants` writes "
                                "them), only {files}", path=variants_dir, files=", ".join(variants.files_shown)))
    return GradeReport(answers.source, str(variants_dir), quantities, students, _quantity_tallies(quantities, students),
                       _explanation_tallies(students), tuple(described), _slip_tallies(students))


def _known_columns(answers: ClassAnswers, spec: Spec, problems: list[Problem]) -> list[bool]:
    """Whether each quantity column names a quantity of the exercise (checked on one variant: they
    all have the template's network and steps)."""
    known = []
    for k, name in enumerate(answers.quantities, start=3):
        try:
            check_values(spec, [parse_expected(name, "0", where="")])
            known.append(True)
        except NeurosimError as error:
            message = str(error).split(": ", 1)[-1]
            problems.append(Problem(1, k, say("{reason}; the column is not graded", reason=message)))
            known.append(False)
    return known


def _grade_row(row: AnswerRow, spec: Spec | str, answers: ClassAnswers, known: list[bool], cache: dict) -> StudentGrade:
    """One student's marks, first slip and explanations (a row whose variant is unknown is not graded)."""
    if isinstance(spec, str):
        return StudentGrade(row.row, row.student, row.variant, (), graded=False, note=say("not graded"))
    given = {index: text for index, text in row.values if known[index]}
    expected = [parse_expected(answers.quantities[i], text, where="") for i, text in given.items()]
    key = (id(spec), tuple(e.quantity for e in expected), tuple(e.text for e in expected))  # one Spec per file
    if key not in cache:
        cache[key] = _judge(spec, expected)
    marks_given, first_slip, explanations = cache[key]
    unreadable = dict(row.unreadable)
    position = {index: k for k, index in enumerate(given)}  # expected and marks are in the order of `given`
    marks = []
    for index in range(len(answers.quantities)):
        if not known[index]:
            continue
        if index in given:
            marks.append(marks_given[position[index]])
        elif index in unreadable:
            marks.append(Mark(unreadable[index], UNREADABLE, say("not a number")))
        else:
            marks.append(Mark("", BLANK))
    return StudentGrade(row.row, row.student, row.variant, tuple(marks), explanations, first_slip=first_slip)


def _judge(spec: Spec, expected: list[Expected]) -> tuple[list[Mark], FirstSlip | None, tuple[str, ...]]:
    """The marks of the values written (right, carried forward, or an own slip), the student's
    first slip, and the ids of the catalog's explanations of the wrong ones."""
    if not expected:
        return [], None, ()
    result = check_values(spec, expected)
    findings = diagnose_check(spec, result, search=bool(result.wrong))
    marks = [_mark(spec, v) for v in findings.values]
    first = findings.first
    slip = None
    if first is not None:
        e = (first.explanations or first.weak or (None,))[0]
        sentence = slip_sentence(findings, spec, e) if e else ""
        if e is not None and not e.strong:
            sentence = say("perhaps {slip}", slip=sentence)
        slip = FirstSlip(first.row.expected.quantity, e.id if e else "", sentence)
    catalog = findings.catalog
    return marks, slip, tuple(ex.ids for ex in catalog.explanations) if catalog else ()


def _mark(spec: Spec, value) -> Mark:
    """A value's mark: its state, the verdict, the correct value (when not right), and the flags a
    teacher wants to see on a right one (the last digit truncated, fewer decimals than asked)."""
    row = value.row
    flags = []
    if row.verdict.kind == ROUNDED:
        flags.append(row.verdict.describe())
    asked = spec.sheet.decimals
    if asked is not None and row.verdict.decimals_written < asked:
        flags.append(say_count("1 decimal, {asked} asked", "{count} decimals, {asked} asked",
                               row.verdict.decimals_written, asked=asked))
    if value.convention:
        flags.append(say(CONVENTIONS[value.convention]))
        return Mark(row.expected.text, RIGHT, row.verdict.describe(), _correct(row), tuple(flags))
    state = {RIGHT_VERDICT: RIGHT, FOLLOWS: CARRIED}.get(value.verdict, WRONG)
    verdict = row.verdict.describe()
    if state == CARRIED:
        verdict = say("carried forward: {detail}", detail=verdict)
    return Mark(row.expected.text, state, verdict, _correct(row) if state != RIGHT else "", tuple(flags))


def _correct(row) -> str:
    """The correct value, as many decimals as the student wrote (at least 4)."""
    decimals = max(row.verdict.decimals_written, 4)
    return fmt(float(row.computed), decimals)


def slip_sentence(findings, spec: Spec, e) -> str:
    from .report import Writer, explanation_sentence

    return explanation_sentence(Writer(findings, name_map(spec), findings.student), e)


def _quantity_tallies(quantities: tuple[str, ...], students) -> tuple[QuantityTally, ...]:
    graded = [s for s in students if s.graded]
    return tuple(QuantityTally(q, sum(s.marks[k].state == RIGHT for s in graded),
                               sum(s.marks[k].state in (WRONG, CARRIED) for s in graded),
                               sum(s.marks[k].state in (BLANK, UNREADABLE) for s in graded),
                               sum(s.marks[k].state == CARRIED for s in graded))
                 for k, q in enumerate(quantities))


def _slip_tallies(students) -> tuple[SlipTally, ...]:
    """The students' first slips — the quantity and what was done there — commonest first."""
    by_slip: dict[tuple[str, str], list] = {}
    for s in students:
        if s.graded and s.first_slip is not None:
            by_slip.setdefault((s.first_slip.quantity, s.first_slip.id), []).append(s)
    tallies = [SlipTally(quantity, slip_id, group[0].first_slip.sentence, tuple(s.student for s in group))
               for (quantity, slip_id), group in by_slip.items()]
    return tuple(sorted(tallies, key=lambda t: -len(t.students)))


def _explanation_tallies(students) -> tuple[ExplanationTally, ...]:
    """Each explanation with the students it explains (a student with several counts for each),
    most students first; 'no explanation' for the wrong answers none explains."""
    by_ids: dict[str, list[str]] = {}
    for s in students:
        if s.graded and s.wrong:
            for ids in s.explanations or (NO_EXPLANATION,):
                by_ids.setdefault(ids, []).append(s.student)
    tallies = [ExplanationTally(say(ids) if ids == NO_EXPLANATION else ids, _meaning(ids), tuple(names))
               for ids, names in by_ids.items()]
    return tuple(sorted(tallies, key=lambda t: -len(t.students)))


def _meaning(ids: str) -> str:
    if ids == NO_EXPLANATION:
        return say("no entry of the mistakes catalog, alone or in pairs, reproduces the values (a slip, or a "
                   "mistake the catalog lacks)")
    return say("; and ").join(BY_ID[i].describe() for i in ids.split(" + "))
