"""Pictures: every kind is drawn and saved (skipped without matplotlib); errors are one line."""

import subprocess
import sys
import tomllib

import numpy as np
import pytest

from neurosim import NeurosimError, build_network, scenarios
from neurosim.engines.history import record_run
from neurosim.files.exercise import spec_from_dict

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from neurosim.cli import main  # noqa: E402
from neurosim.views import plot  # noqa: E402

XOR = ('title = "xor"\n[network]\nlayers = [2, 3, 1]\nactivations = ["tanh", "sigmoid"]\nbias = "per-neuron"\n'
       'seed = 2\ninit = "normal"\n[data]\ninputs = [[0, 0], [0, 1], [1, 0], [1, 1]]\ntargets = [[0], [1], [1], [0]]\n'
       '[training]\nsteps = 300\nmode = "batch-sum"\n')


@pytest.mark.parametrize("kind", ["network", "loss", "weights", "decision"])
@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_plot_writes_each_kind(tmp_path, capsys, kind, suffix):
    exercise = tmp_path / "xor.toml"
    exercise.write_text(XOR)
    out = tmp_path / f"picture{suffix}"
    assert main(["plot", str(exercise), "--kind", kind, "-o", str(out)]) == 0
    head = out.read_bytes()[:8]
    assert head.startswith({".png": b"\x89PNG", ".svg": b"<?xml", ".pdf": b"%PDF"}[suffix])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["xor.toml", out.name])  # no temp file left


def test_network_diagram_labels_every_connection_with_its_change(mazur_network):
    before = mazur_network.copy()
    spec = scenarios.load_scenario("mazur")
    history, start, after = record_run(spec, 1)
    figure = plot.network_diagram(start, after)
    texts = [t.get_text() for t in figure.axes[0].texts]
    assert "w5 = 0.4 → 0.3589" in texts and "w1 = 0.15 → 0.1498" in texts
    assert "b1 = 0.35" in texts  # frozen: no arrow
    assert [n for n in ("i1", "i2", "h1", "h2", "o1", "o2") if n not in texts] == []
    assert before.parameters() == mazur_network.parameters()


def test_diagram_labels_do_not_overlap_on_mazurs_network(tmp_path):
    spec = scenarios.load_scenario("mazur")
    _, start, after = record_run(spec, 1)
    figure = plot.network_diagram(start, after)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    renderer = FigureCanvasAgg(figure).get_renderer()
    figure.draw(renderer)
    texts = figure.axes[0].texts
    assert len([t for t in texts if t.get_text().startswith(("w", "b"))]) == 10
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    for i, (name_a, a) in enumerate(boxes):
        for name_b, b in boxes[i + 1:]:
            assert not a.overlaps(b), (name_a, name_b)


def test_history_rows_follow_the_run():
    spec = scenarios.load_scenario("mazur")
    history, _, after = record_run(spec, 50)
    assert list(history.steps[:3]) == [0, 1, 2] and history.steps[-1] == 50
    assert round(history.E_all[0], 9) == 0.298371109  # Mazur's E_total, before any step
    assert history.parameter("w5")[-1] == after.parameters()["w5"]
    assert np.all(np.diff(history.E_all) < 0)
    long, _, _ = record_run(spec, 12000, max_points=1000)
    assert len(long.steps) <= 1002 and long.steps[-1] == 12000


def test_network_outputs_match_the_neuron_engine():
    from neurosim import evaluate
    rng = np.random.default_rng(4)
    net = build_network([2, 3, 3], ["relu", "softmax"], bias_mode="per-neuron", rng=rng, init="normal")
    points = rng.normal(size=(5, 2))
    for row, point in zip(plot.network_outputs(net, points), points):
        assert list(row) == pytest.approx(evaluate(net, list(point)), rel=1e-13)


def test_functions_draw_into_a_given_axes():
    from matplotlib.figure import Figure
    figure = Figure()
    axes = figure.subplots(1, 2)
    spec = scenarios.load_scenario("mazur")
    history, start, after = record_run(spec, 20)
    assert plot.loss_curve(history, ax=axes[0]) is figure
    assert plot.network_diagram(start, ax=axes[1]) is figure


def test_decision_needs_two_inputs():
    net = build_network([3, 1], "sigmoid", rng=np.random.default_rng(0))
    with pytest.raises(NeurosimError, match="needs a network with 2 inputs"):
        plot.decision_surface(net, [((0, 0, 0), (1,))])


@pytest.mark.parametrize("args, words", [
    (["plot", "mazur", "-o", "x.jpg"], "unknown picture format '.jpg'"),
    (["plot", "mazur", "--kind", "pie", "-o", "x.png"], "argument --kind: invalid choice"),
    (["plot", "mazur"], "the following arguments are required: -o"),
    (["plot", "mazur", "-o", "/no/such/dir/x.png"], "the directory /no/such/dir does not exist"),
])
def test_plot_errors_are_one_line(args, words):
    result = subprocess.run([sys.executable, "-m", "neurosim", *args], capture_output=True, text=True)
    assert result.returncode == 2 and words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_matplotlib_names_the_install_command(tmp_path):
    code = ("import sys; sys.modules['matplotlib'] = None\n"
            "from neurosim.cli import main; sys.exit(main(['plot', 'mazur', '-o', sys.argv[1]]))")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "x.png")], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip() == ("neurosim: error: pictures need matplotlib, which is not installed: "
                                     "pip install '.[plot]' (or pip install matplotlib)")


def test_a_weights_plot_of_26_parameters_names_every_line_without_overlap():
    """26 weights and biases had no legend and no labels (the legend stopped at 16): each is now named
    at its line's end, the names apart from one another and inside the picture."""
    exercise = XOR.replace("layers = [2, 3, 1]", "layers = [3, 5, 1]").replace(
        "[[0, 0], [0, 1], [1, 0], [1, 1]]", "[[0, 0, 1], [0, 1, 0], [1, 0, 0], [1, 1, 1]]")
    spec = spec_from_dict(tomllib.loads(exercise))
    history, _, _ = record_run(spec, 50)
    assert len(history.names) == 26
    figure = plot.weight_trajectories(history)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    renderer = FigureCanvasAgg(figure).get_renderer()
    figure.draw(renderer)
    texts = [t for t in figure.axes[0].texts if t.get_text() in history.names]
    assert sorted(t.get_text() for t in texts) == sorted(history.names)
    from matplotlib.text import Text
    boxes = [(t.get_text(), Text.get_window_extent(t, renderer)) for t in texts]  # the name, not its line
    picture = figure.bbox
    for i, (name_a, a) in enumerate(boxes):
        assert picture.x0 <= a.x0 and a.x1 <= picture.x1 and picture.y0 <= a.y0 and a.y1 <= picture.y1, name_a
        for name_b, b in boxes[i + 1:]:
            assert not a.overlaps(b), (name_a, name_b)
