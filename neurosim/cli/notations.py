"""`neurosim notations`: the notations an exercise can be written in, and the names of one network's
quantities in each (core/notation)."""

from __future__ import annotations

import argparse
import textwrap
from typing import TextIO

from ..core.notation import NOTATIONS, NameMap, Structure
from ..messages import say
from ..views.tables import Table, display_width, render_tables, wrap_text

EXAMPLES = ("i1", "net_h1", "out_h1", "out_o1", "target_o1", "E_total", "dE/dout_o1", "delta_o1", "dE_o1/dout_h1",
            "delta_h1", "dE/dout_i1", "w5", "b_o1", "dE/dw5", "Δw5", "w5+", "out_h1+", "E_total+")


def add_parser(sub) -> None:
    p = sub.add_parser("notations", help="list the notations (textbooks' names) exercises can be written in")
    p.set_defaults(handler=cmd_notations)


def cmd_notations(args: argparse.Namespace, out: TextIO) -> int:
    out.write(say("Notations: write `notation = \"NAME\"` at the top of an exercise file, or give --notation NAME\n"
                  "to run, check and explain. Values, tables and worked solutions are then in those names and signs;\n"
                  "a `+` marks a value after the update in every notation; `[names]` adds your own aliases.") + "\n\n")
    for notation in NOTATIONS.values():
        out.write(f"{notation.name} — {say(notation.title)}\n")
        summary = say(notation.summary)  # Chinese wrapped by terminal columns (a character takes two)
        for line in textwrap.wrap(summary, 96) if display_width(summary) == len(summary) else wrap_text(summary, 96):
            out.write(f"    {line}\n")
        out.write("    " + say("source: {source}", source=notation.source) + "\n\n")
    structure = Structure((2, 2, 2), "per-neuron")
    maps = [NameMap(n, structure) for n in NOTATIONS.values()]
    rows = tuple(tuple(("-" if m.sign(q) < 0 else "") + m.name(q) for m in maps) for q in EXAMPLES)
    table = Table(say("The same quantities of a 2-2-2 network with a bias per neuron (Mazur's, with b_h1 … b_o2),\n"
                      "in each notation (a leading - : the notation's quantity is minus neurosim's, as Err = -delta)"),
                  tuple(NOTATIONS), rows)
    out.write(render_tables([table]) + "\n")
    return 0
