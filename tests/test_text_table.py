"""views/text_table.py lays out text tables as tabulate does, byte for byte (it only skips tabulate's
guessing of each cell's type): checked against tabulate itself on the tables of every scenario's
step and on generated ones (wide Chinese characters, LaTeX and HTML special characters, empty cells)."""

from hypothesis import given, settings
from hypothesis import strategies as st
from tabulate import tabulate

from neurosim.core.step import trace_step
from neurosim.scenarios import NAMES, load_scenario
from neurosim.views.report import step_tables
from neurosim.views.text_table import layout, wrapped_layout

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


def test_the_widths_it_measures_without_wcwidth_are_wcwidths():
    """text_table measures the Greek letters and signs neurosim writes itself (wcwidth's import is a
    quarter of start-up); each must be one column to wcwidth, the combining circumflex of ŷ none."""
    from wcwidth import wcswidth, wcwidth

    from neurosim.views.text_table import _NARROW, _ZERO, width
    assert [c for c in sorted(_NARROW) if wcwidth(c) != 1] == []
    assert [c for c in sorted(_ZERO) if wcwidth(c) != 0] == []
    for text in ("ŷ_o1·x", "Σ δ_o·w", "中文 w5", "a\tb", "é—½²", "η·∂E/∂w"):
        assert width(text) == wcswidth(text), text


WORDS = st.text(alphabet=st.sampled_from("ab xyz0.-_:=—·\n"), max_size=30) | st.sampled_from(("True", "False"))


@settings(max_examples=300)
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(
    st.lists(TEXT, min_size=n, max_size=n),
    st.lists(st.lists(WORDS, min_size=n, max_size=n), min_size=1, max_size=5),
    st.lists(st.one_of(st.none(), st.integers(1, 12)), min_size=n, max_size=n))))
def test_wrapped_tables_are_laid_out_as_tabulate_does(table):
    headers, rows, widths = table
    ours = wrapped_layout(headers, rows, widths)
    if ours is not None:
        assert ours == tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True, maxcolwidths=widths)


def test_every_wrapped_table_of_a_run_is_laid_out_as_tabulate_does():
    """The published figures of every scenario, wrapped to fit 100 columns in plain text."""
    from neurosim.check.published import check_published
    from neurosim.cli.published import published_table
    from neurosim.views.tables import WIDTH, _fitted_widths, display_width
    count = 0
    for name in NAMES:
        spec = load_scenario(name)
        table = published_table(spec, check_published(spec, 1), 9, spec)
        if table is None or not table.wrap:
            continue
        body = layout(table.headers, table.rows, "simple")
        fitted = _fitted_widths(table, max(map(display_width, body.splitlines())) - WIDTH)
        ours = wrapped_layout(table.headers, table.rows, fitted)
        assert ours is not None or name != "mazur"
        assert ours is None or ours == tabulate(table.rows, headers=table.headers, tablefmt="simple",
                                                disable_numparse=True, maxcolwidths=fitted), name
        count += ours is not None
    assert count >= 2
