"""Traces that stay readable at any size (views/elide.py, views/size.py): long sums elided with their
term count and the exact value, long tables cut to their first and last rows with a summary whose
figures are the true extremes, --full, --only, the per-layer summary of a large step, and the data
formats still complete."""

import io
import re

import numpy as np
import pytest

from neurosim import trace_step
from neurosim.cli.main import main
from neurosim.files.exercise import spec_from_dict
from neurosim.views.elide import FULL, Shown, join_terms, parse_only
from neurosim.views.report import render_step, step_tables
from neurosim.views.size import SUMMARY_ROWS, full_rows


def exercise(layers, samples=1, seed=1, **training):
    rng = np.random.default_rng(seed)
    return {
        "title": "-".join(map(str, layers)),
        "network": {"layers": list(layers), "activations": "sigmoid", "init": "normal", "seed": seed},
        "data": {"inputs": rng.uniform(0, 1, size=(samples, layers[0])).round(4).tolist(),
                 "targets": np.eye(layers[-1])[rng.integers(layers[-1], size=samples)].tolist()},
        "training": {"learning_rate": 0.1, **training},
    }


def first_trace(data):
    spec = spec_from_dict(data)
    a = 0 if spec.conventions.mode == "online" else len(spec.samples)
    return trace_step(spec.build_network(), spec.samples[:max(a, 1)], spec.conventions), spec


def run(argv, tmp_path=None, data=None):
    if data is not None:
        path = tmp_path / "big.toml"
        path.write_text(toml(data))
        argv = [argv[0], str(path), *argv[1:]]
    out = io.StringIO()
    return main(argv, out), out.getvalue()


def toml(data) -> str:
    lines = [f'title = "{data["title"]}"', "[network]"]
    lines += [f"{k} = {v!r}".replace("'", '"') for k, v in data["network"].items()]
    lines += ["[data]", f"inputs = {data['data']['inputs']}", f"targets = {data['data']['targets']}", "[training]"]
    lines += [f"{k} = {v!r}".replace("'", '"') for k, v in data["training"].items()]
    return "\n".join(lines) + "\n"


def test_join_terms_keeps_short_sums_and_counts_long_ones():
    assert join_terms(["a", "b", "c"]) == "a + b + c"
    terms = [f"w{k}·i{k}" for k in range(1, 301)] + ["b1"]
    assert join_terms(terms, count="terms") == "w1·i1 + w2·i2 + … + w300·i300 + b1  (301 terms)"
    assert join_terms(terms, full=True) == " + ".join(terms)
    assert parse_only("w5, w1,,dE/dw*") == ("w5", "w1", "dE/dw*")


def test_an_elided_sum_still_shows_the_exact_value():
    trace, spec = first_trace(exercise([300, 2, 1]))
    text = render_step(trace)
    row = next(line for line in text.splitlines() if line.startswith("net_h1 "))
    assert "w1·i1 + w2·i2 + … + w300·i300 + b1  (301 terms)" in row
    network = spec.build_network()  # net_h1 = Σ w·i + b computed independently with NumPy
    weights = np.array([network.parameters()[f"w{k}"] for k in range(1, 301)])
    exact = float(weights @ np.array(spec.inputs[0]) + network.parameters()["b1"])
    assert row.split()[-1] == f"{exact:.9f}".rstrip("0").rstrip(".")
    assert "w1·i1 + w2·i2 + w3·i3" in render_step(trace, shown=FULL)  # --full: every term


def test_a_long_table_shows_its_ends_and_the_true_extremes():
    trace, _ = first_trace(exercise([3, 60, 2]))
    q = trace.quantities()
    tables = {t.title.split(" (")[0]: t for t in step_tables(trace)}
    updates = tables["Gradients and updates: hidden layer"]
    names = [row[0] for row in updates.rows]
    assert names[:3] == ["w1", "w2", "w3"] and names[-1] == "b1" and "…" in names and len(names) < 40
    gradients = {name[4:]: v for name, v in q.items() if re.fullmatch(r"dE/d(w\d+|b1)", name)
                 and (name == "dE/db1" or int(name[5:]) <= 180)}
    low, high = min(gradients, key=gradients.get), max(gradients, key=gradients.get)
    biggest = max(gradients, key=lambda n: abs(gradients[n]))
    assert "181 parameters, " in updates.note
    assert f"({low}) to " in updates.note and f"({high}), largest |dE/dp| = " in updates.note
    assert updates.note.split("largest |dE/dp| = ")[1].split(" ")[1] == f"({biggest})."
    full = {t.title.split(" (")[0]: t for t in step_tables(trace, shown=FULL)}
    assert len(full["Gradients and updates: hidden layer"].rows) == 181 and not full["Forward pass"].note


def test_only_prints_the_rows_named_at_any_size():
    trace, _ = first_trace(exercise([3, 60, 2]))
    rows = [row[0] for t in step_tables(trace, shown=Shown(only=("w5", "w1", "delta_o2"))) for row in t.rows]
    assert rows == ["dE/dout_o2", "dout_o2/dnet_o2", "delta_o2", "w1", "w5"]
    gradients = [row[0] for t in step_tables(trace, shown=Shown(only=parse_only("dE/dw*"))) for row in t.rows]
    assert gradients == [f"w{k}" for k in range(181, 301)] + [f"w{k}" for k in range(1, 181)]


def test_a_large_step_is_summarised_with_its_true_extremes(tmp_path):
    data = exercise([784, 64, 10])
    trace, _ = first_trace(data)
    assert full_rows(trace) > SUMMARY_ROWS
    code, out = run(["run"], tmp_path, data)
    assert code == 0 and len(out.encode()) < 200_000
    assert "Per-layer summary of step 1 (50,818 parameters, 1 sample)" in out
    q = trace.quantities()
    hidden = {n: v for n, v in q.items() if re.fullmatch(r"dE/dw\d+", n) and int(n[5:]) <= 784 * 64}
    biggest = max(hidden, key=lambda n: abs(hidden[n]))
    row = next(line for line in out.splitlines() if line.startswith("dE/dw "))  # the hidden layer's, first
    assert row.endswith(f"({biggest[4:]})")
    assert "W1           (784, 64)" in out and "--full prints them" in out
    code, csv = run(["run", "--format", "csv"], tmp_path, data)
    assert len(csv.splitlines()) == len(q) + 1  # the data formats stay complete


def test_only_on_a_large_step_prints_what_it_names(tmp_path):
    code, out = run(["run", "--only", "w6001,delta_o1"], tmp_path, exercise([200, 30, 10]))  # 6,300 weights
    assert code == 0 and "Per-layer summary" not in out
    rows = [line.split()[0] for line in out.splitlines() if re.match(r"(w\d+|delta_o1)\s", line)]
    assert rows == ["delta_o1", "w6001"]


def test_the_matrix_view_elides_large_matrices(tmp_path):
    code, out = run(["run", "--view", "matrix"], tmp_path, exercise([300, 20, 2]))
    assert code == 0
    w1 = out[out.index("W1 ("):out.index("B1")]
    assert "…" in w1 and "300 × 20 entries, from " in w1 and len(w1.splitlines()) < 30
    code, out = run(["run", "--view", "matrix", "--full"], tmp_path, exercise([300, 20, 2]))
    w1 = out[out.index("W1 ("):out.index("B1")]
    assert "…" not in w1 and len(w1.strip().splitlines()) == 300 + 3  # title, headers, rule, 300 rows


@pytest.mark.parametrize("name", ["mazur", "xor_cross_entropy", "deep_xor"])
def test_small_scenarios_are_not_elided(name):
    code, out = run(["run", name])
    assert "…   " not in out and "--full prints" not in out


def test_a_large_worked_solution_is_elided_and_only_writes_what_it_names(tmp_path):
    data = exercise([784, 64, 10])
    code, md = run(["explain"], tmp_path, data)
    assert code == 0 and len(md.encode()) < 200_000
    assert "### Hidden layer (h1, h2, …, h63, h64  (64 neurons))" in md
    assert "… 50,177 parameters, 50,159 not shown (w13 … w50171): dE/dp from " in md
    assert "(784 in all)" in md  # the inputs listed by their first and last ones
    code, md = run(["explain", "--only", "w50177,w50177+"], tmp_path, data)
    assert r"w_{50177}^{+} &= w_{50177} - \eta" in md and r"w_{50178}" not in md


def test_only_is_refused_for_the_matrix_view(capsys):
    code, out = run(["run", "mazur", "--view", "matrix", "--only", "w5"])
    assert code == 2 and out == ""
    assert "--only: the matrix view prints whole matrices" in capsys.readouterr().err


@pytest.mark.parametrize("layers, samples", [([3, 60, 2], 1), ([4, 5, 3], 3)])
def test_full_rows_counts_the_rows_the_full_tables_have(layers, samples):
    """size.full_rows decides when a step is summarised without building the tables: it must count
    what they have, the inputs' dE/dout (issue 8's table) included."""
    trace, _ = first_trace(exercise(layers, samples, **({"mode": "batch-sum"} if samples > 1 else {})))
    assert full_rows(trace) == sum(len(t.rows) for t in step_tables(trace, shown=FULL))
