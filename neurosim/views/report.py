"""A step, a long run and a network as tables (stages.py makes the rows of each stage; tables.py
writes them out as plain, github, latex or html text), and a step as csv/json data.

Importing this module registers the HTML that notebooks show for a StepTrace and a Network
(core.display); importing `neurosim` imports it.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence

from ..core.display import register_html
from ..core.network import Network
from ..core.notation import NameMap
from ..core.trace import StepSummary, StepTrace
from ..errors import NeurosimError
from ..files.stream import step_json
from ..messages import N_, say
from .elide import ELIDED_AT_SIZE, Shown
from .notation_view import header_in_notation, quantities_in_notation, tables_in_notation
from .numbers import DEFAULT_DIGITS, fmt
from .size import SUMMARY_ROWS, full_rows, summary_tables
from .stages import Stages
from .tables import (
    DATA_FORMATS,
    FORMATS,
    TABLE_FORMATS,
    WIDTH,
    Table,
    html_escape,
    layer_word,
    render_heading,
    render_tables,
)

__all__ = [
    "DATA_FORMATS", "FORMATS", "TABLE_FORMATS", "Table", "network_tables", "quantities_csv", "render_heading",
    "render_step", "render_tables", "step_tables", "summary_table",
]


def step_tables(trace: StepTrace, digits: int = DEFAULT_DIGITS, max_samples: int | None = None,
                shown: Shown = ELIDED_AT_SIZE) -> list[Table]:
    """The stage tables of one step, in hand-calculation order; in a batch step, the per-sample
    tables of the first `max_samples` samples only (None: all of them). `shown` says what the
    tables show at size (views/elide.py: long sums and tables elided, --full, --only)."""
    check_view(trace, digits=digits, max_samples=max_samples, shown=shown)
    stages = Stages(trace, digits, shown)
    tables: list[Table | None] = []
    samples = trace.samples if max_samples is None else trace.samples[:max_samples]
    for sample in samples:
        tables.append(stages.forward(sample))
        tables.append(stages.errors(sample))
        tables += stages.deltas(sample)
        inputs = stages.input_gradients(sample)
        if inputs is not None:
            tables.append(inputs)
    if len(samples) < len(trace.samples):
        if len(trace.samples) - len(samples) > 1:
            title = say("(samples {first}–{last} work the same way; their tables are not shown — [report] samples "
                        "chooses how many are)", first=len(samples) + 1, last=len(trace.samples))
        else:
            title = say("(sample {last} works the same way; its tables are not shown — [report] samples chooses "
                        "how many are)", last=len(trace.samples))
        tables.append(Table(title, (), ()))
    tables += stages.updates()
    tables.append(stages.after())
    return [t for t in tables if t is not None]


def summary_table(summaries: Sequence[StepSummary], unit: str, digits: int = DEFAULT_DIGITS,
                  output_names: Sequence[str] = (), reported: str = "", has_loss: bool = True) -> Table:
    """The compact per-step (or per-epoch) table of a long run; `reported` describes E_report;
    `has_loss` False (loss "none") leaves the E columns out. The headers are short, and a note under
    the table says what each loss is."""
    epoch = unit == "epoch"
    headers = [say("epoch") if epoch else say("step"), "E_total", "E_total+"]
    notes = [say("E_total: the epoch's samples, before the update") if epoch else
             say("E_total: the step's samples, before the update"), say("E_total+: all samples, after it")]
    with_report = bool(summaries) and summaries[0].reported is not None
    if with_report:
        headers.append("E_report")
        notes.append(say("E_report: {loss}, all samples, before the update", loss=reported or say("the reported loss")))
    single = summaries and len(summaries[0].outputs_after) == 1
    if single:
        headers += [f"out_{name}+" for name in output_names]
    rows = []
    for s in summaries:
        row = [str(s.step), fmt(s.E_total, digits), fmt(s.E_all_after, digits)]
        if with_report:
            row.append(fmt(s.reported, digits))
        if single:
            row += [fmt(v, digits) for v in s.outputs_after[0]]
        rows.append(tuple(row if has_loss else row[:1] + row[3:]))
    if not has_loss:
        headers, notes = headers[:1] + headers[3:], notes[2:]
    steps = [s.step for s in summaries]
    every = (steps[2] - steps[1]) if len(steps) > 2 else (steps[-1] - steps[0] if len(steps) > 1 else 1)
    if every == 1:
        cadence = say("every epoch") if epoch else say("every step")
    else:
        cadence = (say("one row every {count} epochs, and the first and the last", count=f"{every:,}") if epoch else
                   say("one row every {count} steps, and the first and the last", count=f"{every:,}"))
    return Table(say("Training summary ({cadence})", cadence=cadence), tuple(headers), tuple(rows),
                 say("; ").join(notes) + say(".") if notes else "")


def network_tables(network, digits: int = DEFAULT_DIGITS) -> list[Table]:
    """A network as two tables: its layers of neurons, and every weight and bias with its value."""
    rows = []
    for layer in network.layers:
        act = layer.activation.name if layer.activation else "—"
        biases = []
        for n in layer.neurons:
            if n.bias is not None and n.bias.name not in biases:
                biases.append(n.bias.name)
        rows.append((layer_word(layer.name), " ".join(n.name for n in layer.neurons), act, " ".join(biases) or "—"))
    layers = Table(say("Layers of the {shape} network", shape=network.shape_text()),
                   (say("layer"), say("neurons"), say("activation"), say("biases")), tuple(rows))
    rows = [(c.name, f"{c.source.name} → {c.target.name}", fmt(c.weight, digits)) for c in network.connections]
    for b in network.biases:
        owners = [n.name for n in network.neurons() if n.bias is b]
        rows.append((b.name, say("bias of {neurons}", neurons=", ".join(owners)), fmt(b.value, digits)))
    parameters = Table(say("Weights and biases"), (say("parameter"), say("connects"), say("value")), tuple(rows))
    return [layers, parameters]


def render_step(trace: StepTrace, fmt_name: str = "plain", digits: int = DEFAULT_DIGITS,
                max_samples: int | None = None, width: int = WIDTH, shown: Shown = ELIDED_AT_SIZE,
                names: NameMap | None = None) -> str:
    """One step as text: a header naming every convention (plain text: wrapped to `width`), then
    the stage tables — or, for a step whose tables would have more than SUMMARY_ROWS rows and
    unless `shown` asks for them (--full, --only), a summary per layer and the matrix shapes; in the
    notation of `names`, if given (csv too — json keeps neurosim's own names)."""
    check_view(trace, fmt_name, digits, max_samples, width, shown, names)
    if fmt_name == "csv":
        return quantities_csv(trace, names)
    if fmt_name == "json":
        return json.dumps(step_json(trace), indent=2)
    if fmt_name == "jsonl":
        return json.dumps(step_json(trace))
    if shown.elides and full_rows(trace, max_samples) > SUMMARY_ROWS:
        tables = summary_tables(trace, digits, shown)
    else:
        tables = step_tables(trace, digits, max_samples, shown)
    tables = tables_in_notation(tables, trace, names, digits)
    return render_heading(header_in_notation(trace.header, names), fmt_name, width) + "\n\n" + render_tables(
        tables, fmt_name)


def check_view(trace, fmt_name: str = "plain", digits: int = DEFAULT_DIGITS, max_samples: int | None = None,
               width: int = WIDTH, shown: Shown = ELIDED_AT_SIZE, names: NameMap | None = None) -> None:
    """render_step's and step_tables' arguments, each of the type it takes: a NeurosimError naming the
    one that is not (a format: the formats there are)."""
    if fmt_name not in FORMATS:
        raise NeurosimError(say("format: unknown '{name}' (choose from {choices})", name=fmt_name,
                                choices=", ".join(FORMATS)))
    for field, value, ok, expected in (
            ("trace", trace, isinstance(trace, StepTrace), N_("a StepTrace, as trace_step returns one")),
            ("digits", digits, type(digits) is int and 0 <= digits <= 40, N_("a whole number of digits, 0 to 40")),
            ("max_samples", max_samples, max_samples is None or type(max_samples) is int and max_samples >= 0,
             N_("None or a whole number ≥ 0")),
            ("width", width, type(width) is int and width > 0, N_("a whole number ≥ 1")),
            ("shown", shown, isinstance(shown, Shown), N_("a Shown (views/elide.py)")),
            ("names", names, names is None or isinstance(names, NameMap), N_("None or a NameMap"))):
        if not ok:
            raise NeurosimError(say("{field}: expected {expected}, got {value!r}", field=field, expected=say(expected),
                                    value=value))


def quantities_csv(trace: StepTrace, names: NameMap | None = None) -> str:
    """One row per quantity: step, quantity, value at full precision (in the notation of `names`)."""
    buffer = io.StringIO()
    import csv  # (start-up: for --format csv)

    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["step", "quantity", "value"])
    for name, value in quantities_in_notation(trace.quantities(), names).items():
        writer.writerow([trace.step, name, repr(float(value))])
    return buffer.getvalue()


def _network_html(network) -> str:
    return f"<p><b>{html_escape(repr(network))}</b></p>\n" + render_tables(network_tables(network), "html")


register_html(StepTrace, lambda trace: render_step(trace, "html"))
register_html(Network, _network_html)
