"""views/text_table.py lays out text tables as tabulate does, byte for byte (it only skips tabulate's
guessing of each cell's type): checked against tabulate itself on the tables of every scenario's
step and on generated ones (wide Chinese characters, LaTeX and HTML special characters, empty cells)."""

from hypothesis import given
from hypothesis import strategies as st
from tabulate import tabulate

from neurosim.core.step import trace_step
from neurosim.scenarios import NAMES, load_scenario
from neurosim.views.report import step_tables
from neurosim.views.text_table import layout

FORMATS = ("simple", "github", "latex", "html")


def tabulated(headers, rows, fmt):
    return tabulate(rows, headers=headers, tablefmt=fmt, disable_numparse=True)


def test_every_scenario_table_is_laid_out_as_tabulate_does():
    count = 0
    for name in NAMES:
        spec = load_scenario(name)
        samples = spec.samples if spec.conventions.mode != "online" else spec.samples[:1]
        for table in step_tables(trace_step(spec.build_network(), samples, spec.conventions)):
            if not table.rows:
                continue
            for fmt in FORMATS:
                assert layout(table.headers, table.rows, fmt) == tabulated(table.headers, table.rows, fmt), (name, fmt)
                count += 1
    assert count > 100


TEXT = st.text(alphabet=st.sampled_from("ab xyz0.-·_&%$#{}~^\\<>\"'|中文—½²é"), max_size=12)


@given(st.integers(1, 4).flatmap(lambda n: st.tuples(
    st.lists(TEXT, min_size=n, max_size=n),
    st.lists(st.lists(TEXT, min_size=n, max_size=n), min_size=1, max_size=5))), st.sampled_from(FORMATS))
def test_generated_tables_are_laid_out_as_tabulate_does(table, fmt):
    headers, rows = table
    assert layout(headers, rows, fmt) == tabulated(headers, rows, fmt)


def test_what_it_does_not_cover_is_left_to_tabulate():
    assert layout((), [("a",)], "simple") is None
    assert layout(("a",), [], "simple") is None
    assert layout(("a",), [("two\nlines",)], "simple") is None
    assert layout(("a",), [("tab\there",)], "simple") is None
