"""Notations (core/notation): exercises written, checked and explained in a textbook's own names.

Sources of the numbers:
- Han, Kamber & Pei, Data Mining: Concepts and Techniques, 3rd ed. (2012), §9.2.3, Example 9.1 (units
  1..6, Err = O(1-O)(T-O), w_ij from unit i to unit j): the printed values of its tables.
- Nielsen, Neural Networks and Deep Learning, ch. 2 (w^l_jk to neuron j of layer l from neuron k of
  layer l-1) on Mazur's published step (dE/dw5 = 0.082167041, w5+ = 0.35891648, w1+ = 0.149780716).
- CS231n assignment 1, two_layer_net.ipynb: the seeded toy model's printed correct_scores (8
  decimals); db2, db1 at 12 decimals from an independent NumPy computation of the same model.
"""

import itertools
import math

import numpy as np
import pytest

from neurosim.check.catalog import diagnose
from neurosim.check.judge import check_values
from neurosim.check.parse import expected_from_options
from neurosim.cli import main
from neurosim.core.notation import NOTATIONS, NameMap, Structure
from neurosim.files.exercise import spec_from_dict
from neurosim.scenarios import load_scenario
from neurosim.views.explain import explain_document, trace_for

from .exercises import MAZUR_NETWORK_TOML

HAN = {  # Example 9.1 written in the book's names and signs
    "title": "Han, Kamber & Pei, Example 9.1",
    "notation": "hkp",
    "network": {"layers": [3, 2, 1], "activations": "sigmoid", "bias": "per-neuron",
                "weights": [0.2, 0.4, -0.5, -0.3, 0.1, 0.2, -0.3, -0.2], "biases": [-0.4, 0.2, 0.1]},
    "data": {"inputs": [[1, 0, 1]], "targets": [[1]]},
    "training": {"learning_rate": 0.9},
    "expect": {"I4": "-0.7", "O4": "0.332", "I5": "0.1", "O5": "0.525", "I6": "-0.105", "O6": "0.474",
               "Err6": "0.1311", "Err5": "-0.0065", "Err4": "-0.0087", "w46+": "-0.261", "w56+": "-0.138",
               "w14+": "0.192", "w15+": "-0.306", "w24+": "0.4", "w25+": "0.1", "w34+": "-0.508",
               "w35+": "0.194", "theta6+": "0.218", "θ5+": "0.194", "theta4+": "-0.408"},
}


def han_file(tmp_path, **changes):
    lines = ['title = "Han, Kamber & Pei, Example 9.1"', 'notation = "hkp"', "[network]", "layers = [3, 2, 1]",
             'activations = "sigmoid"', 'bias = "per-neuron"', "weights = [0.2, 0.4, -0.5, -0.3, 0.1, 0.2, -0.3, -0.2]",
             "biases = [-0.4, 0.2, 0.1]", "[data]", "inputs = [[1, 0, 1]]", "targets = [[1]]", "[training]",
             "learning_rate = 0.9", "[expect]"]
    lines += [f'"{k}" = "{v}"' for k, v in {**HAN["expect"], **changes}.items()]
    path = tmp_path / "han.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_notations_lists_the_four(capsys):
    assert main(["notations"]) == 0
    out = capsys.readouterr().out
    for name in ("mazur", "hkp", "nielsen", "matrix"):
        assert f"\n{name} — " in out
    assert "-Err5" in out and "w^3_11" in out and "W2[0][0]" in out


def test_han_example_checks_in_the_books_names(tmp_path, capsys):
    assert main(["check", str(han_file(tmp_path))]) == 0  # every value right …
    out = capsys.readouterr().out
    rows = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert "correct, but the last digit truncated" in rows["Err6"]  # … the exact Err6 is 0.13116908
    assert "0.1311690782143445" in rows["Err6"] and "-0.008724561965433263" in rows["Err4"]  # book's signs
    assert "correct to 3 decimals" in rows["θ5+"]
    diagnosis = out.split("Diagnosis:")[1]
    first = diagnosis.split("\n\n")[1].split()[0]
    assert first == "round-written-3"  # Err6 from the rounded O6 = 0.474
    assert "the simplest first" in diagnosis and "chop-4" in diagnosis
    assert f"Err6 = {0.474 * (1 - 0.474) * (1 - 0.474)!r}" in diagnosis


def test_han_sign_as_the_book_prints_it(tmp_path, capsys):
    """The book's Err5 is -0.0065 (Err = -dE/dI); a student who wrote +0.0065 has the sign wrong."""
    assert main(["check", str(han_file(tmp_path, Err5="0.0065")), "--no-diagnose"]) == 1
    assert "wrong sign" in capsys.readouterr().out


def test_han_tables_and_worked_solution_use_the_books_formulas(capsys):
    spec = spec_from_dict(HAN)
    assert main(["run", "mazur", "--notation", "hkp"]) == 0
    out = capsys.readouterr().out
    assert "notation hkp" in out and "Err5" in out and "w35+" not in out  # Mazur's net: units 1..6
    text = explain_document(spec, "markdown")
    assert r"\mathit{Err}_{6} &= O_{6}\cdot \left(1-O_{6}\right)\cdot \left(T_{6}-O_{6}\right)" in text
    assert r"w_{46}^{+} &= w_{46} + l\cdot \mathit{Err}_{6}\cdot O_{4}" in text


def test_nielsen_names_on_mazurs_published_step():
    spec = load_scenario("mazur")
    spec = spec_from_dict({**spec.raw, "notation": "nielsen", "published": []})
    expected = expected_from_options(["dC/dw^3_11=0.082167041", "w^3_11+=0.35891648", "w^2_11+=0.149780716",
                                      "a^3_1=0.75136507", "C=0.298371109", "delta^3_1=0.138498562",
                                      "δ^3_2=-0.038098237", "∂C/∂w^3_11=0.082167041"])
    result = check_values(spec, expected)
    assert not result.wrong, [(r.expected.quantity, r.verdict.describe()) for r in result.rows]


def cs231n_toy():
    """CS231n's toy model: W1 = 0.1·randn(4, 10), W2 = 0.1·randn(10, 3) (seed 0), X = 10·randn(5, 4)
    (seed 1), y = [0, 1, 2, 2, 1]; NumPy's legacy RandomState, as the notebook seeds it."""
    state = np.random.RandomState(0)
    W1, W2 = 1e-1 * state.randn(4, 10), 1e-1 * state.randn(10, 3)
    X = 10 * np.random.RandomState(1).randn(5, 4)
    return W1, W2, X, [0, 1, 2, 2, 1]


def test_matrix_names_on_the_cs231n_toy_model():
    W1, W2, X, y = cs231n_toy()
    data = {"notation": "matrix",
            "network": {"layers": [4, 10, 3], "activations": ["relu", "softmax"], "bias": "per-neuron",
                        "weights": [float(W1[i][j]) for j in range(10) for i in range(4)]
                        + [float(W2[i][j]) for j in range(3) for i in range(10)], "biases": [0.0] * 13},
            "data": {"inputs": X.tolist(), "targets": np.eye(3)[y].tolist()},
            "training": {"loss": "cce", "mode": "batch-mean", "learning_rate": 0.1}}
    correct_scores = [[-0.81233741, -1.27654624, -0.70335995], [-0.17129677, -1.18803311, -0.47310444],
                      [-0.51590475, -1.01354314, -0.8504215], [-0.15419291, -0.48629638, -0.52901952],
                      [-0.00618733, -0.12435261, -0.15226949]]
    options = [f"scores[{s}][{k}]={v:.8f}" for s, row in enumerate(correct_scores) for k, v in enumerate(row)]
    options += [f"db2[{k}]={v}" for k, v in enumerate(["0.209969098057", "-0.143190499244", "-0.066778598812"])]
    options += ["db1[0]=-0.007048404254", "db1[1]=0", "db1[8]=0.041216045597"]
    result = check_values(spec_from_dict(data), expected_from_options(options))
    assert not result.wrong, [(r.expected.quantity, r.verdict.describe()) for r in result.rows if not r.verdict.ok]


def test_twelve_decimal_gradients_from_rounded_deltas_are_explained_by_round_12():
    """A notebook (ReLU + softmax, one sample) prints dscores = probs - y to 12 decimals; the student
    multiplies those printed deltas by h and writes dW2 to 12 decimals: some are wrong in the 12th
    decimal, and round-12 explains them (computed here with NumPy, independently of neurosim)."""
    rng = np.random.default_rng(9)
    x = np.round(rng.normal(size=4) * 3, 2)
    W1, W2 = np.round(0.5 * rng.normal(size=(4, 10)), 2), np.round(0.5 * rng.normal(size=(10, 3)), 2)
    h = np.maximum(x @ W1, 0)
    scores = h @ W2
    probs = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
    dscores = [float(f"{v:.12f}") for v in probs - np.eye(3)[0]]  # as printed, and copied
    expect = {f"dscores[{k}]": f"{dscores[k]:.12f}" for k in range(3)}
    expect.update({f"dW2[{i}][{k}]": f"{h[i] * dscores[k]:.12f}" for i in range(10) for k in range(3)})
    spec = spec_from_dict({
        "notation": "matrix",
        "network": {"layers": [4, 10, 3], "activations": ["relu", "softmax"], "bias": "none",
                    "weights": [float(W1[i][j]) for j in range(10) for i in range(4)]
                    + [float(W2[i][j]) for j in range(3) for i in range(10)]},
        "data": {"inputs": [x.tolist()], "targets": [[1.0, 0.0, 0.0]]},
        "training": {"loss": "cce", "learning_rate": 0.1}, "expect": expect})
    result = check_values(spec)
    assert len(result.wrong) == 3 and all(r.verdict.first_wrong_decimal == 12 for r in result.wrong)
    diagnosis = diagnose(spec, result.internal)
    assert diagnosis.explanations[0].ids == "round-12"


def test_done_when_quantities_on_mazurs_network(capsys):
    """Δw5, dE/dout_i1, out_h1+ and loss "none" on Mazur's network, from his published values:
    Δw5 = w5+ - w5 = 0.35891648 - 0.4; dE/dout_i1 = Σ_k delta_hk·w(i1→hk) with his deltas."""
    delta_h1, delta_h2 = 0.036350306 * 0.241300709, 0.041370323 * 0.240613417  # Mazur's factors
    args = ["check", "mazur", "--expect", f"Δw5={0.35891648 - 0.4:.8f}", "--expect",
            f"dE/dout_i1={delta_h1 * 0.15 + delta_h2 * 0.25:.9f}", "--expect",
            f"out_h1+={1 / (1 + math.exp(-(0.149780716 * 0.05 + 0.19956143 * 0.1 + 0.35))):.8f}"]
    assert main(args) == 0, capsys.readouterr().out
    assert main(["check", "mazur", "--loss", "none", "--expect", "dE/dout_o1=1", "--expect",
                 f"dE/dw5={0.75136507 * (1 - 0.75136507) * 0.593269992:.9f}"]) == 0


def test_user_aliases():
    spec = spec_from_dict({**load_scenario("mazur").raw, "published": [], "names": {"my_change": "Δw5"}})
    result = check_values(spec, expected_from_options(["my_change=-0.04108352"]))
    assert result.rows[0].verdict.kind == "correct" and result.rows[0].expected.name == "my_change"


@pytest.mark.parametrize("names, words", [
    ({"w5": "Δw5"}, 'names."w5": \'w5\' is already the name of a quantity'),
    ({"mine": "Δw55"}, "names.\"mine\": no quantity named 'Δw55' (did you mean 'Δw5'"),
])
def test_bad_aliases_are_one_line_and_exit_2(tmp_path, capsys, names, words):
    path = tmp_path / "ex.toml"
    body = "\n".join(f'"{k}" = "{v}"' for k, v in names.items())
    path.write_text(MAZUR_TOML + f"\n[names]\n{body}\n[expect]\nE_total = \"0.2984\"\n", encoding="utf-8")
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1


MAZUR_TOML = MAZUR_NETWORK_TOML + "[training]\nupdate_biases = false\n"


@pytest.mark.parametrize("args, words", [
    (["run", "mazur", "--notation", "nielson"], "--notation: unknown notation 'nielson' (did you mean 'nielsen'?"),
    (["check", "mazur", "--notation", "hkp", "--expect", "Err7=0.1"], "no quantity named 'Err7' in notation hkp"),
    (["check", "mazur", "--notation", "hkp", "--expect", "w57=0.1"], "expect.w57: no quantity named 'w57' in "
                                                                      "notation hkp (did you mean 'w45' or 'w35'?)"),
])
def test_bad_notation_input_is_one_line_and_exit_2(capsys, args, words):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1


def test_unknown_notation_in_a_file(tmp_path, capsys):
    path = tmp_path / "ex.toml"
    path.write_text('notation = "hkpp"\n' + MAZUR_TOML, encoding="utf-8")
    assert main(["run", str(path)]) == 2
    assert "notation: unknown notation 'hkpp' (did you mean 'hkp'?" in capsys.readouterr().err


SHAPES = [((2, 2, 2), "shared", 1), ((3, 2, 1), "per-neuron", 1), ((2, 3, 2, 2), "per-neuron", 3),
          ((12, 11, 2), "none", 2), ((1, 1), "shared", 2)]


@pytest.mark.parametrize("sizes, bias, samples", SHAPES)
def test_every_notation_names_every_quantity_once_and_back(sizes, bias, samples):
    data = {"network": {"layers": list(sizes), "bias": bias, "seed": 1},
            "data": {"inputs": [[0.5] * sizes[0]] * samples, "targets": [[0.2] * sizes[-1]] * samples},
            "training": {"mode": "batch-sum" if samples > 1 else "online"}}
    spec = spec_from_dict(data)
    internal = list(trace_for(spec).quantities())
    structure = Structure(sizes, bias)
    assert [NameMap(NOTATIONS["mazur"], structure).name(q) for q in internal] == internal
    for notation in NOTATIONS.values():
        names = NameMap(notation, structure)
        written = [names.name(q) for q in internal]
        assert len(set(written)) == len(written), notation.name
        for q in internal:
            for form in names.forms(q):
                assert names.resolve(form, internal, "x")[0] == q


def test_signs_only_where_the_notation_says():
    structure = Structure((2, 2, 1), "per-neuron")
    signs = {n: {q: NameMap(NOTATIONS[n], structure).sign(q) for q in ("delta_o1", "dE/dw5", "out_h1",
                                                                        "dE_o1/dout_h1")} for n in NOTATIONS}
    assert signs["hkp"] == {"delta_o1": -1, "dE/dw5": 1, "out_h1": 1, "dE_o1/dout_h1": -1}
    assert all(set(s.values()) == {1} for n, s in signs.items() if n != "hkp")


@pytest.mark.parametrize("notation", ["hkp", "nielsen", "matrix"])
@pytest.mark.parametrize("fmt", ["latex", "html", "markdown"])
def test_worked_solutions_in_every_notation(notation, fmt):
    spec = spec_from_dict({**load_scenario("mazur").raw, "notation": notation})
    text = explain_document(spec, fmt)
    assert "net_h1" not in text and "net\\_h1" not in text and "[U+" not in text
    assert "text{ w" not in text  # no name left as plain text in LaTeX


def test_latex_in_a_notation_compiles(tmp_path):
    import shutil
    import subprocess
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed")
    for notation, spec in itertools.product(("hkp", "nielsen", "matrix"), [spec_from_dict(HAN)]):
        spec = spec_from_dict({**spec.raw, "notation": notation})
        (tmp_path / "s.tex").write_text(explain_document(spec, "latex"), encoding="utf-8")
        result = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "s.tex"], cwd=tmp_path,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, (notation, result.stdout[-1500:])


@pytest.mark.parametrize("notation, words", [
    ("hkp", "Weights are numbered by unit: units 1..n across the network, inputs first; w\\_ij goes from unit i"),
    ("nielsen", "Weights are named by layer: w^l\\_jk goes to neuron j of layer l from neuron k of layer l-1"),
    ("matrix", "Weights are indexed as in the matrices: W1\\[i\\]\\[j\\] goes from neuron i of a layer to neuron j"),
])
def test_a_worked_solution_says_how_its_notation_numbers_the_weights(notation, words, capsys):
    """Mazur's 'numbered layer by layer' is wrong for w46 (unit 4 → unit 6): each notation says its own
    rule, in English and in Chinese."""
    assert main(["explain", "mazur", "--notation", notation]) == 0
    out = capsys.readouterr().out
    assert words in out and "layer by layer" not in out
    assert main(["explain", "mazur", "--notation", notation, "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "逐层编号" not in out and ("单元" in out or "按层命名" in out or "按矩阵下标" in out)


@pytest.mark.parametrize("notation, activation, loss", [
    ("hkp", r"O = \frac{1}{1+e^{-I}}`$, with derivative $`\frac{\partial O}{\partial I} = O\cdot \left(1-O\right)",
     r"E = \sum  \tfrac{1}{2}\left(T - O\right)^{2}"),
    ("nielsen", r"a = \frac{1}{1+e^{-z}}`$, with derivative $`\frac{\partial a}{\partial z} = a\cdot \left(1-a\right)",
     r"C = \sum  \tfrac{1}{2}\left(y - a\right)^{2}"),
])
def test_formulas_about_no_particular_neuron_use_the_notations_letters(notation, activation, loss, capsys):
    """Han/Kamber/Pei write the sigmoid O = 1/(1+e^-I) and its derivative O(1-O); Nielsen a = σ(z), C."""
    assert main(["explain", "mazur", "--notation", notation]) == 0
    out = capsys.readouterr().out
    assert activation in out and loss in out and r"\mathit{out}" not in out
