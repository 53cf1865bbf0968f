"""What a step's tables and worked solutions show at size (`Shown`): long sums elided to their first
and last terms with the term count, long tables cut to their first and last rows with a one-line
summary of the whole table, or only the quantities asked for (`--only NAMES|PATTERN`); `--full`
shows everything. Values are never elided: a row that is shown shows its value in full.

A table is built from row groups (`RowGroup`: the rows of one neuron or one parameter, with the
names and values of its quantities), and only the groups that are shown are built
(`select_rows`), so a table of 50,000 weights costs the rows it prints.
"""

from __future__ import annotations

import fnmatch
import itertools
import sys
from collections.abc import Callable, Iterable, Sequence

import attrs

from ..errors import NeurosimError
from ..messages import N_, say, say_count
from .numbers import fmt

MAX_TERMS = 8  # a sum of more terms shows its first two and last two, and the count
ROW_LIMIT = 50  # a table of more rows shows its first HEAD_ROWS and last TAIL_ROWS, and a summary
HEAD_ROWS = 12
TAIL_ROWS = 6
ELIDED = "…"
COUNTS = {"terms": N_("{count} terms"), "neurons": N_("{count} neurons"), "inputs": N_("{count} inputs"),
          "parameters": N_("{count} parameters"), "rows": N_("{count} rows")}  # how many of what, said
KINDS = {"abs error": N_("abs error"), "rel error": N_("rel error")}  # kinds of value named in words


def counted(n: int, what: str) -> str:
    """'785 terms', '64 neurons' … (`what`: a key of COUNTS) in the active language."""
    return say(COUNTS[what], count=f"{n:,}")


def parse_only(text: str | None) -> tuple[str, ...]:
    """'w5,w1' → ('w5', 'w1'); "dE/dw*" → ('dE/dw*',) (glob patterns: * ? [seq]). A part that starts
    with a digit or a glob character continues the one before: a notation's name may hold a comma
    (hkp's w4,12, nielsen's w^2_1,10; no name starts with either), so 'w4,12,Err12' → ('w4,12',
    'Err12') and 'dC/dw^2_1,*' is one pattern."""
    if not text:
        return ()
    parts: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        if parts and part[:1] and (part[0].isdigit() or part[0] in "*?["):
            parts[-1] += f",{part}"
        elif part:
            parts.append(part)
    return tuple(parts)


def name_matches(name: str, patterns: Sequence[str]) -> bool:
    """A quantity name matches a pattern written as is (net_h1[2]) or as a glob (dE/dw*)."""
    return any(name == p or fnmatch.fnmatchcase(name, p) for p in patterns)


@attrs.frozen
class Shown:
    """What to show: everything (`full`), only quantities matching `only`, or (the default) long
    sums and tables elided beyond MAX_TERMS terms and `row_limit` rows. `rename` gives a quantity's
    name in the notation the tables are read in (core/notation), or None where that name cannot
    match `only` (core/notation/prefixes.py): `only` may name it either way."""

    full: bool = False
    only: tuple[str, ...] = ()
    row_limit: int = ROW_LIMIT
    rename: Callable[[str], str | None] | None = attrs.field(default=None, eq=False, repr=False)

    def wants(self, names: Iterable[str]) -> bool:
        """Whether a group of rows with these quantity names is shown under `only`."""
        if not self.only:
            return True
        names = tuple(names)
        return any(name_matches(n, self.only) for n in names) or (self.rename is not None and any(
            renamed is not None and name_matches(renamed, self.only) for renamed in map(self.rename, names)))

    @property
    def elides(self) -> bool:
        """Whether long tables are cut (not with --full, nor with --only: what was asked for is printed)."""
        return not self.full and not self.only


NO_QUANTITY = N_("--only {patterns}: no quantity of step {step} has that name (names as the tables write them: "
                 "{examples} …)")
NO_PARAMETER = N_("--only {patterns}: no parameter has that name (names as the table writes them: {examples} …)")


def refuse_unmatched(shown: Shown, names: Iterable[str], sentence: str, note: bool = True, **values) -> None:
    """Refuse an --only that matches none of `names` (it would print empty tables and exit 0):
    `sentence` (marked N_) has {patterns} and {examples}, the first names, filled in. When some
    patterns match and others do not, a note on standard error names those that match nothing
    (unless `note` is False: said once already)."""
    if not shown.only:
        return
    names = tuple(names)
    if not shown.wants(names):
        examples = itertools.islice((n for n in names if "[" not in n), 4)  # not a sample's name[s]
        raise NeurosimError(say(sentence, patterns=",".join(shown.only), examples=", ".join(examples), **values))
    unmatched = [p for p in shown.only if note and not attrs.evolve(shown, only=(p,)).wants(names)]
    if unmatched:
        print(say_count("neurosim: note: --only {patterns} matches nothing; shown: what the other patterns match",
                        "neurosim: note: --only {patterns} match nothing; shown: what the other patterns match",
                        len(unmatched), patterns=", ".join(unmatched)), file=sys.stderr)


ELIDED_AT_SIZE = Shown()  # the default
FULL = Shown(full=True)


def join_terms(terms: Sequence[str], joiner: str = " + ", full: bool = False, count: str = "",
               limit: int = MAX_TERMS) -> str:
    """The terms joined; more than `limit` (unless `full`): the first two, …, the last two, and with
    a `count` word their number: 'w1·i1 + w2·i2 + … + w300·i300 + b1  (301 terms)'."""
    if full or len(terms) <= limit:
        return joiner.join(terms)
    text = joiner.join([*terms[:2], ELIDED, *terms[-2:]])
    return f"{text}  ({counted(len(terms), count)})" if count else text


@attrs.frozen
class RowGroup:
    """The rows of one neuron or parameter (`label`): `names` of its quantities (for --only), `values`
    (kind, name, value) for the summary of a cut table, `n_rows`, and `build()` making the rows."""

    label: str
    names: tuple[str, ...]
    values: tuple[tuple[str, str, float], ...]
    n_rows: int
    build: Callable[[], list[tuple[str, ...]]] = attrs.field(repr=False)


def select_rows(groups: Sequence[RowGroup], shown: Shown, n_columns: int, what: str = "rows",
                largest: str | None = None) -> tuple[tuple[tuple[str, ...], ...], str]:
    """(rows, note): the rows of the groups `shown` wants; a table longer than the row limit keeps
    its first and last groups, with a gap row (…) between them and a note summarising the whole
    table — how many `what` (neurons, parameters), the range of each kind of value, and the largest
    |value| of kind `largest` with its name."""
    groups = [g for g in groups if shown.wants(g.names)]
    head, hidden, tail = choose(groups, shown)
    if not hidden:
        return tuple(row for g in groups for row in g.build()), ""
    rows = [row for g in head for row in g.build()]
    rows.append((ELIDED,) * n_columns)
    rows += [row for g in tail for row in g.build()]
    return tuple(rows), summary_note(groups, hidden, what, largest)


def choose(groups: Sequence[RowGroup], shown: Shown) -> tuple[list[RowGroup], list[RowGroup], list[RowGroup]]:
    """(head, hidden, tail): the groups to show first, the ones left out, the ones to show last —
    every group in `head` unless they have more than the row limit of rows (and `shown` elides)."""
    groups = list(groups)
    if not shown.elides or sum(g.n_rows for g in groups) <= shown.row_limit:
        return groups, [], []
    head, rows_in = [], 0
    while rows_in < HEAD_ROWS and len(head) < len(groups) - 1:
        head.append(groups[len(head)])
        rows_in += head[-1].n_rows
    tail, rows_in = [], 0
    while rows_in < TAIL_ROWS and len(head) + len(tail) < len(groups) - 1:
        tail.insert(0, groups[len(groups) - 1 - len(tail)])
        rows_in += tail[0].n_rows
    return head, groups[len(head):len(groups) - len(tail)], tail


def kept(n: int, limit: int, shown: Shown, head: int = HEAD_ROWS, tail: int = TAIL_ROWS) -> list[int | None]:
    """Indices 0..n-1 to show: all of them, or (beyond `limit`, when `shown` elides) the first `head`
    and the last `tail`, with None (…) between."""
    if not shown.elides or n <= limit:
        return list(range(n))
    return [*range(head), None, *range(n - tail, n)]


def summary_note(groups: Sequence[RowGroup], hidden: Sequence[RowGroup], what: str, largest: str | None) -> str:
    """'64 neurons, 54 not shown (h7 … h60): net from -23.3 (h17) to 22.2 (h33); …; --full prints every row.'"""
    first, last = hidden[0].label, hidden[-1].label
    span = first if len(hidden) == 1 else f"{first} … {last}"
    head = say("{total}, {hidden} not shown ({span})", total=counted(len(groups), what), hidden=f"{len(hidden):,}",
               span=span)
    ranges = []
    for kind in _kinds(groups):
        values = [(v, n) for g in groups for k, n, v in g.values if k == kind and v == v]  # NaN left out
        if not values:
            continue
        low, high = min(values), max(values)
        word = say(KINDS[kind]) if kind in KINDS else kind
        text = say("{kind} from {low} ({low_name}) to {high} ({high_name})", kind=word, low=fmt(low[0]),
                   low_name=low[1], high=fmt(high[0]), high_name=high[1])
        if kind == largest:
            big = max(values, key=lambda pair: abs(pair[0]))
            text += say(", largest |{kind}| = {value} ({name})", kind=word, value=fmt(abs(big[0])), name=big[1])
        ranges.append(text)
    note = head + (say(": ") + say("; ").join(ranges) if ranges else "")
    return note + say(". --full prints every row; --only NAMES|PATTERN prints the ones you name.")


def _kinds(groups: Sequence[RowGroup]) -> list[str]:
    kinds: list[str] = []
    for g in groups:
        for kind, _, _ in g.values:
            if kind not in kinds:
                kinds.append(kind)
    return kinds
