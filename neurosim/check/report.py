"""The diagnosis written for a student (the text `neurosim check` prints): the check table with its
follow-through column, the first wrong line and what follows from it, and for each root the slip
found there — the student's formula with their numbers beside the right one:

    net_o1 — out_h1 in place of out_h2
        yours: net_o1 = w5·out_h1 + w6·out_h1 + b2 = 0.4·0.5933 + 0.45·0.5933 + 0.6 = 1.104305
        right: net_o1 = w5·out_h1 + w6·out_h2 + b2 = 0.4·0.5933 + 0.45·0.596884378 + 0.6 = 1.105906

Names are written in the exercise's notation. Nothing here computes.
"""

from __future__ import annotations

from ..core.formulas.expr import Const, Expr, Var, evaluate
from ..core.formulas.text import render
from ..core.notation import NameMap
from ..messages import joined, say, say_count
from ..views.notation_text import text_in_notation
from ..views.numbers import fmt, fmt_operand, shortest
from ..views.tables import Table
from .conventions_read import CONVENTIONS
from .follow import FOLLOWS, WRONG, StudentValues
from .local import Explanation
from .pipeline import Findings, ValueFindings


class Writer:
    """Writes quantity names in the notation and a formula with the student's numbers."""

    def __init__(self, findings: Findings, names: NameMap, student: StudentValues | None = None):
        self.findings = findings
        self.names = names
        self.student = student
        self.written = {v.key: (v.row.internal or v.row.expected).text for v in findings.values}
        self.step = findings.result.steps

    def name(self, key: tuple[int, str]) -> str:
        """A value as the user names it: in the notation, with @k unless it is the step checked."""
        text = self.text(key[1])
        return text if key[0] == self.step else f"{text}@{key[0]}"

    def text(self, text: str) -> str:
        return text if self.names.identity else text_in_notation(text, self.names)

    def names_of(self, keys) -> str:
        return say(", ").join(self.name(k) for k in keys)

    def formula(self, key: tuple[int, str], expr: Expr, reading: str) -> str:
        """name = formula = the formula with the student's numbers (`reading`, follow.READINGS) = value."""
        symbols = self.text(render(expr, lambda leaf: _symbol(leaf, key[0])))
        numbers = render(expr, lambda leaf: self._number(leaf, reading))
        values = self.student.operand_values(expr, reading) or {}
        return f"{self.name(key)} = {symbols} = {numbers} = {fmt(evaluate(expr, values))}"

    def _number(self, leaf: Expr, reading: str) -> str:
        if type(leaf) is Const:
            return fmt_operand(leaf.value)
        key = (leaf.step, leaf.name)
        if key in self.written and (reading == "written" or not self.student.written[key][1]):
            text = self.written[key]
            return f"({text})" if text.startswith("-") else text
        value = self.student.value(key, reading) if self.student is not None else None
        return fmt_operand(value) if value is not None else leaf.name


def _symbol(leaf: Expr, step: int) -> str:
    if type(leaf) is Var:
        return leaf.name if leaf.step == step else f"{leaf.name}@{leaf.step}"
    return leaf.symbol or fmt(leaf.value)


def follow_cell(writer: Writer, value: ValueFindings, first: ValueFindings | None) -> str:
    """The follow-through column: empty for a right value."""
    if value.convention:
        return say(CONVENTIONS[value.convention])
    if value.verdict == FOLLOWS:
        return say("follows from your {names}", names=writer.names_of(value.followed.sources))
    if value.verdict == WRONG:
        return say("your first wrong line") if value is first else say("a slip of its own")
    return ""


def check_table(findings: Findings, writer: Writer) -> Table:
    """The check table: quantity, yours, computed, decimals agreeing, verdict, follow-through."""
    result = findings.result
    rows = []
    for v in findings.values:
        r = v.row
        agree = "—" if r.verdict.decimals_agree is None else str(r.verdict.decimals_agree)
        rows.append((r.expected.quantity, r.expected.text, repr(float(r.computed)), agree, r.verdict.describe(),
                     follow_cell(writer, v, findings.first)))
    title = say("{title} — step {step}", title=result.title, step=result.steps) + f"\n{result.conventions}"
    return Table(title, (say("quantity"), say("yours"), say("computed (full precision)"), say("decimals agreeing"),
                         say("verdict"), say("follow-through")), tuple(rows))


def first_line(findings: Findings, writer: Writer) -> str:
    """'Your first wrong line is net_o1 (step 1, forward pass); 3 values follow from it: …'."""
    first = findings.first
    if first is None:
        return ""
    stage = say(findings.stage_of(first))
    following = findings.following(first)
    where = say("Your first wrong line is {name} (step {step}, {stage}).", name=writer.name(first.key),
                step=first.key[0], stage=stage)
    if not following:
        return where
    return joined(where, say_count("1 value follows from it: {names}.", "{count} values follow from it: {names}.",
                                   len(following), names=writer.names_of(v.key for v in following)))


def root_lines(findings: Findings, writer: Writer, value: ValueFindings) -> list[str]:
    """What was done at one root: its explanations (the strong ones; else the weak, said so)."""
    head = writer.name(value.key)
    if not value.explanations and not value.weak:
        text = say("{name}: no slip of this one formula reproduces {written} (a typo, or a slip neurosim does not "
                   "know)", name=head, written=value.row.expected.text)
        return [text]
    best = value.explanations[0].cost if value.explanations else None
    shown = [e for e in value.explanations if e.cost == best][:3] or value.weak[:1]
    earlier = {findings.values[k].key for k in findings.roots[:findings.roots.index(findings.values.index(value))]}
    if earlier.intersection(shown[0].also):  # one slip that explains an earlier root too: said there
        return [say("{name} — the same slip: {slip}", name=head, slip=explanation_sentence(writer, shown[0])),
                *(f"    {line}" for line in explanation_formulas(findings, writer, shown[0])[:1])]
    lines = []
    for k, e in enumerate(shown):
        sentence = explanation_sentence(writer, e)
        if not e.strong:
            sentence = say("perhaps {slip}", slip=sentence)
        if k == 0 and value is not findings.first:
            sentence = say("one more slip of your own: {slip}", slip=sentence)
        lines.append(f"{head} — {sentence}" if k == 0 else say("or: {slip}", slip=sentence))
        lines += [f"    {line}" for line in explanation_formulas(findings, writer, e)]
        lines.append("    " + strength_text(e))
    more = len(value.explanations) - len(shown)
    if more > 0:
        lines.append("    " + say_count("(1 more explanation fits, a less simple one: --format json lists it)",
                                       "({count} more explanations fit, less simple ones: --format json lists them)",
                                       more))
    return lines


def explanation_sentence(writer: Writer, e: Explanation) -> str:
    args = {name: writer.text(value) for name, value in e.args}
    if e.kind == "rule":  # a catalog entry's sentence, for this parameter alone
        sentence = say("{slip}, for {parameter} alone", slip=say(e.sentence), parameter=args["parameter"])
    else:
        sentence = say(e.sentence, **args)
    if e.site != e.key:
        sentence = say("in {name}, which you did not write: {slip}", name=writer.name(e.site), slip=sentence)
    if e.also:
        sentence = joined(sentence, say("(it also reproduces {names})", names=writer.names_of(e.also)))
    return sentence


def explanation_formulas(findings: Findings, writer: Writer, e: Explanation) -> list[str]:
    """yours: the slip's formula with the student's numbers; right: the formula with the same numbers."""
    if e.expr is None:  # a slip of the written number, or one made alike in every line
        return [say("gives {name} = {value}", name=writer.name(e.key), value=fmt(e.value))] if e.kind not in (
            "transposed", "copied") else []
    formula = writer.student.graph.formula(*e.site)
    yours = writer.formula(e.site, e.expr, e.reading)
    if e.site != e.key:
        yours = say("{formula}, which gives {name} = {value}", formula=yours, name=writer.name(e.key),
                    value=fmt(e.value))
    right = writer.formula(e.site, formula.expr, e.reading)
    return [say("yours: {formula}", formula=yours), say("right: {formula}", formula=right)]


def strength_text(e: Explanation) -> str:
    if e.strong:
        return say_count("(reproduces the 1 significant digit you wrote)",
                         "(reproduces the {count} significant digits you wrote)", e.digits)
    if e.chance >= 0.5:  # the slips tried come as close to most wrong values
        return say_count("(a weak match: 1 significant digit — for most wrong values one of the slips tried comes "
                         "as close)",
                         "(a weak match: {count} significant digits — for most wrong values one of the slips tried "
                         "comes as close)", e.digits)
    return say_count("(a weak match: 1 significant digit, which chance could give as well)",
                     "(a weak match: {count} significant digits — for a random wrong value one of the slips tried "
                     "comes as close {percent}% of the time)", e.digits, percent=f"{100 * e.chance:.0f}")


def tried_text(findings: Findings) -> str:
    """What was tried, in words a student reads once."""
    catalog = findings.catalog
    entries = catalog.applicable if catalog is not None else 0
    return say("Tried at each first wrong line: another value in place of each operand, a term or factor left out "
               "or counted twice, a sign, the derivative of another activation, another value of a constant, an "
               "intermediate rounded early, two digits transposed, a neighbouring line's value; and over the whole "
               "exercise the {count} conventions and mistakes of `neurosim mistakes` that apply to it.", count=entries)


def catalog_lines(findings: Findings, writer: Writer) -> list[str]:
    """The whole-exercise entries that reproduce every wrong value (or, all being right, the last
    digits written), simplest first, with the values they give; then those that reproduce part of them."""
    catalog = findings.catalog
    if catalog is None:
        return []
    result = findings.result
    lines = []
    if catalog.explanations:
        lines += [full_heading(findings), ""]
        shown_rows = result.wrong or result.unexact
        width = max(len(m.id) for ex in catalog.explanations for m in ex.mistakes)
        for ex in catalog.explanations:
            for i, m in enumerate(ex.mistakes):
                lines.append(f"  {'+ ' if i else '  '}{m.id.ljust(width)}  {m.describe()}")
            shown = ", ".join(f"{row.expected.quantity} = {shortest(row.sign * value)}"
                              for row, (_, value) in zip(result.rows, ex.values) if row in shown_rows)
            lines.append(f"    {' ' * width}  " + say("gives {values}", values=shown))
    elif not result.wrong:
        lines.append(say("Diagnosis: none of the {count} conventions and mistakes that apply to this exercise "
                         "({how}) reproduces {what}.\n`neurosim mistakes` lists them.", count=catalog.applicable,
                         how=how_tried(catalog), what=target_words(findings)))
    partial = [m for m in catalog.partial if m.strong]
    if partial:
        lines += ["", say("Conventions and mistakes of the whole exercise that reproduce part of your values:")]
        for match in partial:
            names = say(", ").join(result.rows[k].expected.quantity for k in match.explained)
            lines.append(f"  {match.mistake.id}  {match.mistake.describe()}")
            lines.append("      " + say("reproduces {names} (and leaves every right value right)", names=names))
    return lines


def how_tried(catalog) -> str:
    """'tried alone' or 'tried alone and in pairs'."""
    pairs = catalog.tried > catalog.applicable or catalog.skipped > catalog.applicable
    return say("tried alone and in pairs") if pairs else say("tried alone")


def target_words(findings: Findings) -> str:
    result = findings.result
    if findings.catalog.target == "wrong":
        return say("every value you wrote, at the precision you wrote it")
    return say_count("every value you wrote, to the last digit ({names} is right but for the rounding of the "
                     "last digit)",
                     "every value you wrote, to the last digit ({names} are right but for the rounding of the "
                     "last digit)", len(result.unexact), names=", ".join(r.expected.quantity for r in result.unexact))


def full_heading(findings: Findings) -> str:
    catalog = findings.catalog
    return say_count("Diagnosis: 1 explanation reproduces {what}\n(of the {applicable} conventions and mistakes "
                     "that apply to this exercise, {how}):",
                     "Diagnosis: {count} explanations reproduce {what}\n(of the {applicable} conventions and "
                     "mistakes that apply to this exercise, {how}), the simplest first:", len(catalog.explanations),
                     what=target_words(findings), applicable=catalog.applicable, how=how_tried(catalog))


def diagnosis_text(findings: Findings, writer: Writer) -> str:
    """The summary, the first wrong line, each root's slip, the catalog's explanations."""
    lines = [summary_line(findings)]
    first = first_line(findings, writer)
    if first:
        lines.append(first)
    roots = [findings.values[k] for k in findings.roots]
    if roots and writer.student is not None:
        lines += ["", say("Where it went wrong:")]
        for value in roots:
            lines += root_lines(findings, writer, value)
    catalog = catalog_lines(findings, writer)
    if catalog:
        lines += [""] + catalog
    if any(not findings.values[k].explanations for k in findings.roots) and writer.student is not None:
        lines += ["", tried_text(findings)]
    return "\n".join(lines)


def summary_line(findings: Findings) -> str:
    """'6 of 10 values right; wrong: …' (the first line of the summary)."""
    rows = findings.result.rows
    wrong = [r.expected.quantity for r in rows if not r.verdict.ok]
    if not wrong:
        return say_count("All 1 value right.", "All {count} values right.", len(rows))
    return say("{right} of {count} values right; wrong: {names}.", right=len(rows) - len(wrong), count=len(rows),
               names=", ".join(wrong))
