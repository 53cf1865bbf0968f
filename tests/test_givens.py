"""The givens of an exercise in its notation's names ([network.weights], [network.biases],
[training.rule.state], --state), and question sheets, keys and grading in those names.

Sources of the numbers:
- Han, Kamber & Pei, Data Mining: Concepts and Techniques, 3rd ed. (2012), §9.2.3, Example 9.1: the
  givens (w14 = 0.2, …, θ6 = 0.1; x = (1, 0, 1), T6 = 1, l = 0.9) and the printed values of its
  tables (O6 = 0.474, Err6 = 0.1311, w46 = -0.261 after the update; /work/notes/notations.md §1).
- Mazur's published step (DESIGN.md §6): dE/dw5 = 0.082167041, w5+ = 0.35891648, w1+ = 0.149780716.
- CS231n two_layer_net's toy model: its printed correct_scores (tests/test_notations.py).
- Independent computations here with Han's own formulas: O_j = 1/(1+e^-I_j), Err6 = O6(1-O6)(T6-O6),
  w46+ = w46 + l·Err6·O4.
"""

import copy
import math
import tomllib

import pytest

from neurosim import NeurosimError
from neurosim.check.grading import grade_class
from neurosim.check.judge import check_values
from neurosim.cli import main
from neurosim.files.answers import read_answers
from neurosim.files.exercise import spec_from_dict
from neurosim.scenarios import scenario_dict
from neurosim.views.answer_key import answer_key
from neurosim.views.explain import explain_document
from neurosim.views.grade_report import RIGHT
from neurosim.views.sheet import question_sheet

from .test_notations import HAN, cs231n_toy, han_file

BOOK_WEIGHTS = {"w14": 0.2, "w15": -0.3, "w24": 0.4, "w25": 0.1, "w34": -0.5, "w35": 0.2, "w46": -0.3, "w56": -0.2}
BOOK_BIASES = {"theta4": -0.4, "theta5": 0.2, "theta6": 0.1}
HAN_NAMED = copy.deepcopy(HAN)  # Example 9.1 written entirely in the book's names
HAN_NAMED["network"].update(weights=BOOK_WEIGHTS, biases=BOOK_BIASES)


def han_named_file(tmp_path, extra: str = "", **replace) -> str:
    """han_file's exercise with the givens by name, as the book writes them (θ5 in its own letter)."""
    text = han_file(tmp_path).read_text(encoding="utf-8")
    names = "[network.weights]\n" + "".join(f"{k} = {v}\n" for k, v in BOOK_WEIGHTS.items()) + \
        '[network.biases]\ntheta4 = -0.4\n"θ5" = 0.2\ntheta6 = 0.1\n'
    text = text.replace("weights = [0.2, 0.4, -0.5, -0.3, 0.1, 0.2, -0.3, -0.2]\nbiases = [-0.4, 0.2, 0.1]\n", "")
    text = text.replace("[data]", extra + names + "[data]")
    for old, new in replace.items():
        text = text.replace(old, new)
    path = tmp_path / "han_named.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def han_by_hand(w: dict, theta: dict, x=(1, 0, 1), target=1.0, l=0.9) -> dict:  # noqa: E741 (the book's l)
    """Example 9.1 by the book's formulas, independently of neurosim: w_ij from unit i to unit j."""
    sig = lambda v: 1 / (1 + math.exp(-v))  # noqa: E731
    O = {1: x[0], 2: x[1], 3: x[2]}
    for j in (4, 5):
        O[j] = sig(sum(w[f"w{i}{j}"] * O[i] for i in (1, 2, 3)) + theta[f"theta{j}"])
    O[6] = sig(w["w46"] * O[4] + w["w56"] * O[5] + theta["theta6"])
    err6 = O[6] * (1 - O[6]) * (target - O[6])
    return {"O6": O[6], "Err6": err6, "w46+": w["w46"] + l * err6 * O[4]}


def test_han_in_the_books_names_checks_and_explains_as_the_list_form(tmp_path, capsys):
    listed, named = str(han_file(tmp_path)), han_named_file(tmp_path)
    outputs = []
    for path in (listed, named):
        code, out, err = run(capsys, "check", path)
        assert code == 0, err
        outputs.append(out)
    assert outputs[0] == outputs[1]
    assert "correct, but the last digit truncated" in outputs[1]  # Err6 = 0.1311 as the book prints it
    assert explain_document(spec_from_dict(HAN), "markdown") == explain_document(spec_from_dict(HAN_NAMED), "markdown")
    assert spec_from_dict(HAN_NAMED).build_network().parameters() == spec_from_dict(HAN).build_network().parameters()


def test_han_printed_values_from_the_books_names():
    rows = {r.expected.name: r for r in check_values(spec_from_dict(HAN_NAMED)).rows}
    assert all(r.verdict.ok for r in rows.values())
    by_hand = han_by_hand(BOOK_WEIGHTS, BOOK_BIASES)
    for name in ("O6", "Err6", "w46+"):
        assert rows[name].computed == pytest.approx(by_hand[name], rel=1e-12)


def test_nielsen_and_matrix_names_as_givens():
    mazur = scenario_dict("mazur")
    named = {"w^2_11": 0.15, "w^2_12": 0.2, "w^2_21": 0.25, "w^2_22": 0.3, "w^3_11": 0.4, "w^3_12": 0.45,
             "w^3_21": 0.5, "w^3_22": 0.55}  # Nielsen: w^l_jk to neuron j of layer l from neuron k
    data = {**mazur, "notation": "nielsen", "published": [],
            "network": {**mazur["network"], "weights": named, "biases": {"b^2": 0.35, "b^3": 0.6}},
            "expect": {"dC/dw^3_11": "0.082167041", "w^3_11+": "0.35891648", "w^2_11+": "0.149780716"}}
    assert not check_values(spec_from_dict(data)).wrong  # Mazur's published figures
    W1, W2, X, y = cs231n_toy()
    weights = {f"W1[{i}][{j}]": float(W1[i][j]) for i in range(4) for j in range(10)}
    weights.update({f"W2[{i}][{j}]": float(W2[i][j]) for i in range(10) for j in range(3)})
    data = {"notation": "matrix",
            "network": {"layers": [4, 10, 3], "activations": ["relu", "softmax"], "bias": "none", "weights": weights},
            "data": {"inputs": X.tolist(), "targets": [[float(k == c) for k in range(3)] for c in y]},
            "training": {"loss": "cce", "mode": "batch-mean"},
            "expect": {"scores[0][0]": "-0.81233741", "scores[4][2]": "-0.15226949"}}  # CS231n's correct_scores
    assert not check_values(spec_from_dict(data)).wrong


@pytest.mark.parametrize("table, key, words", [
    ("weights", "I4", "network.weights: 'I4' is a net input in notation hkp, not a weight"),
    ("weights", "O6", "'O6' is an output in notation hkp, not a weight"),
    ("weights", "theta4", "network.weights: 'theta4' is a bias in notation hkp; give it under [network.biases]"),
    ("biases", "w14", "network.biases: 'w14' is a weight in notation hkp; give it under [network.weights]"),
    ("weights", "w14+", "'w14+' is the value after the update; give the value before it, as 'w14'"),
    ("weights", "w41", "network.weights: no parameter named 'w41' in notation hkp (did you mean 'w14'? this 3-2-1 "
                        "network has w14..w56)"),
    ("biases", "thetta4", "no parameter named 'thetta4' in notation hkp (did you mean 'theta4'"),
])
def test_a_name_that_is_not_a_given_of_the_table_says_what_it_is(table, key, words):
    data = copy.deepcopy(HAN_NAMED)
    data["network"][table][key] = 0.5
    with pytest.raises(NeurosimError) as error:
        spec_from_dict(data)
    assert str(error.value).startswith(words.split(":")[0] if "network." in words else "network.")
    assert words in str(error.value)


def test_errors_in_a_file_name_the_line_of_the_key(tmp_path, capsys):
    path = han_named_file(tmp_path, **{"w46 = -0.3": "I6 = -0.3"})
    code, _, err = run(capsys, "run", path)
    assert code == 2 and err.count("\n") == 1
    line = next(k for k, text in enumerate(open(path, encoding="utf-8"), start=1) if text.startswith("I6 "))
    assert f"'I6' is a net input in notation hkp, not a weight (line {line})" in err


def test_neurosims_own_names_are_read_too_unless_a_table_mixes_two_meanings():
    data = copy.deepcopy(HAN_NAMED)  # w1 is neurosim's name of w14 (unit 1 → unit 4)
    data["network"]["weights"] = {("w1" if k == "w14" else k): v for k, v in BOOK_WEIGHTS.items()}
    assert spec_from_dict(data).build_network().parameters() == spec_from_dict(HAN_NAMED).build_network().parameters()
    data["network"]["weights"]["w14"] = 0.2  # and w14 too: one weight given twice
    with pytest.raises(NeurosimError, match=r"network.weights: 'w14' names the same parameter as 'w1' \(w14\)"):
        spec_from_dict(data)
    # A 4-10-3 network: hkp's w15 (unit 1 → unit 5) is neurosim's w1, and neurosim has a w15 of its own.
    wide = {"notation": "hkp", "network": {"layers": [4, 10, 3], "seed": 1, "weights": {"w15": 0.5}},
            "data": {"inputs": [[0, 0, 0, 0]], "targets": [[0, 0, 0]]}}
    assert spec_from_dict(wide).build_network().parameters()["w1"] == 0.5  # the notation's reading
    wide["network"]["weights"]["w2"] = 0.25  # a name only neurosim has: the table mixes the two
    with pytest.raises(NeurosimError, match="'w15' is ambiguous: in notation hkp it is neurosim's w1"):
        spec_from_dict(wide)


def test_in_an_hkp_file_w46_is_the_weight_from_unit_4_to_unit_6():
    # 3-1-50: unit 4 is the hidden neuron, unit 6 the second output; neurosim's own w46 is h1 → o43.
    data = {"notation": "hkp", "network": {"layers": [3, 1, 50], "seed": 2, "weights": {"w46": 0.75}},
            "data": {"inputs": [[0.1, 0.2, 0.3]], "targets": [[0.5] * 50]}}
    network = spec_from_dict(data).build_network()
    connection = next(c for c in network.connections if c.weight == 0.75)
    assert (connection.source.name, connection.target.name, connection.name) == ("h1", "o2", "w5")


def test_names_aliases_name_givens_too():
    data = copy.deepcopy(HAN_NAMED)
    data["names"] = {"to_output": "w46"}
    data["network"]["weights"] = {("to_output" if k == "w46" else k): v for k, v in BOOK_WEIGHTS.items()}
    assert spec_from_dict(data).build_network().parameters() == spec_from_dict(HAN_NAMED).build_network().parameters()


def momentum_han(**state) -> dict:
    data = copy.deepcopy(HAN_NAMED)
    data["expect"] = {}
    data["training"] = {"learning_rate": 0.9, "rule": {"name": "momentum", "momentum": 0.5, "state": state}}
    return data


def test_rule_state_in_the_books_names(tmp_path, capsys):
    """v_w46 = 0.08 before step 1: v = α·0.08 - l·dE/dw46 with dE/dw46 = -Err6·O4 (Han's sign)."""
    spec = spec_from_dict(momentum_han(v_w46=0.08, v_theta6=-0.01))
    assert dict(spec.conventions.rule.state) == {"v_w7": 0.08, "v_b_o1": -0.01}
    by_hand = han_by_hand(BOOK_WEIGHTS, BOOK_BIASES)
    o4 = 1 / (1 + math.exp(0.7))
    expected = -0.3 + 0.5 * 0.08 + 0.9 * by_hand["Err6"] * o4
    rows = check_values(spec, [*spec_from_dict({**HAN_NAMED, "expect": {"w46+": "0"}}).expect]).rows
    assert rows[0].computed == pytest.approx(expected, rel=1e-12)
    path = tmp_path / "momentum.toml"
    text = open(han_named_file(tmp_path), encoding="utf-8").read().split("[expect]")[0]
    path.write_text(text.replace("learning_rate = 0.9", 'learning_rate = 0.9\nrule = "momentum"'), encoding="utf-8")
    code, out, err = run(capsys, "check", str(path), "--momentum", "0.5", "--state", "v_w46=0.08", "--state",
                         "v_θ6=-0.01", "--expect", f"w46+={expected:.12f}", "--no-diagnose")
    assert code == 0, out + err
    code, _, err = run(capsys, "run", str(path), "--state", "v_w64=0.08")
    assert code == 2 and "--state v_w64: no parameter named 'w64' in notation hkp (did you mean 'w46'?" in err


def test_rule_state_of_a_frozen_bias_and_a_repeated_one_name_the_key():
    data = momentum_han(v_theta4=0.1)
    data["training"]["update_biases"] = False
    with pytest.raises(NeurosimError, match=r"training.rule.state.v_theta4: theta4 is frozen"):
        spec_from_dict(data)
    with pytest.raises(NeurosimError, match=r"training.rule.state.v_w1: 'w1' names the same parameter as 'w14'"):
        spec_from_dict(momentum_han(v_w14=0.1, v_w1=0.2))


def test_state_option_in_the_notation_option_s_names(capsys):
    """--notation hkp on Mazur's network (units 1..6): v_w46 is the weight h2 → o2, neurosim's w8."""
    code, out, _ = run(capsys, "run", "mazur", "--rule", "momentum", "--state", "v_w46=0.1", "--format", "csv")
    assert code == 2 or "v_w8" not in out
    code, hkp, err = run(capsys, "run", "mazur", "--rule", "momentum", "--notation", "hkp", "--state", "v_w46=0.1",
                         "--format", "csv")
    code_own, own, _ = run(capsys, "run", "mazur", "--rule", "momentum", "--notation", "hkp", "--state", "v_w8=0.1",
                           "--format", "csv")
    assert code == 0 and code_own == 0, err
    assert hkp == own and "0.101370121" in hkp  # 0.9·0.1 - 0.5·dE/dw8, dE/dw8 = -0.022740242 (Mazur)


def test_variants_of_a_notation_template_give_their_numbers_in_its_names(tmp_path, capsys):
    template = han_named_file(tmp_path)
    assert main(["variants", template, "--count", "3", "-o", str(tmp_path / "v")]) == 0
    text = (tmp_path / "v" / "v02.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert list(data["network"]["weights"]) == ["w14", "w24", "w34", "w15", "w25", "w35", "w46", "w56"]
    assert list(data["network"]["biases"]) == ["theta4", "theta5", "theta6"]
    assert "w46 = " in text and "# 4 → 6" in text
    spec = spec_from_dict(data)  # read back: the same numbers, the same step
    by_hand = han_by_hand(data["network"]["weights"], data["network"]["biases"], data["data"]["inputs"][0],
                          data["data"]["targets"][0][0])
    rows = {r.expected.name: r.computed for r in check_values(spec, [*spec_from_dict(
        {**data, "expect": {"O6": "0", "Err6": "0", "w46+": "0"}}).expect]).rows}
    assert rows == pytest.approx(by_hand, rel=1e-12)


ASKED = {"quantities": ["O6", "Err6", "w46+"], "decimals": 3}


def test_a_sheet_and_key_in_the_books_names_and_signs():
    spec = spec_from_dict({**HAN_NAMED, "ask": ASKED})
    sheet = question_sheet(spec).text
    answers = sheet.split("## Your answers")[1]
    assert "O_{6}" in answers and r"\mathit{Err}_{6}`$ |" in answers and "w_{46}^{+}" in answers
    assert "0.474" not in sheet and "delta" not in sheet and "w_{7}" not in sheet  # givens in the book's names
    assert r"$`w_{46}`$ | 4 → 6 | -0.3 |" in sheet and r"$`\theta_{5}`$ | bias of 5 | 0.2 |" in sheet
    key = answer_key(spec)
    grid = key.split("## Worked solution")[0]
    assert r"| $`O_{6}`$ | 0.473888899 | 0.474 |" in grid  # the book prints O6 = 0.474
    assert r"| $`\mathit{Err}_{6}`$ | 0.131169078 | 0.131 |" in grid  # Err = -delta: positive, as printed
    assert r"| $`w_{46}^{+}`$ | -0.260828846 | -0.261 |" in grid  # the book prints w46 = -0.261
    assert r"\mathit{Err}_{6} &= O_{6}\cdot \left(1-O_{6}\right)" in key  # the worked solution in the notation


def test_an_unknown_asked_name_is_an_error_in_the_notation():
    with pytest.raises(NeurosimError, match="ask: no quantity named 'Err7' in notation hkp"):
        question_sheet(spec_from_dict({**HAN_NAMED, "ask": ["O6", "Err7"]}))


def test_grading_a_class_in_the_books_names(tmp_path, capsys):
    template = han_named_file(tmp_path, extra='[ask]\nquantities = ["O6", "Err6", "w46+"]\n')
    assert main(["variants", template, "--count", "3", "-o", str(tmp_path / "v")]) == 0
    rows = []
    for k, student in enumerate(("ann", "bob", "cem"), start=1):
        data = tomllib.loads((tmp_path / "v" / f"v0{k}.toml").read_text(encoding="utf-8"))
        right = han_by_hand(data["network"]["weights"], data["network"]["biases"], data["data"]["inputs"][0],
                            data["data"]["targets"][0][0])
        err6 = -right["Err6"] if student == "bob" else right["Err6"]  # bob writes delta's sign
        rows.append(f"{student},v0{k},{right['O6']:.4f},{err6:.4f},{right['w46+']:.4f}")
    (tmp_path / "class.csv").write_text("student,variant,O6,Err6,w46+\n" + "\n".join(rows) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "grade", str(tmp_path / "class.csv"), "--variants", str(tmp_path / "v"))
    assert code == 0, err
    report = grade_class(read_answers(str(tmp_path / "class.csv")), tmp_path / "v")
    assert report.quantities == ("O6", "Err6", "w46+") and not report.problems
    marks = {s.student: [(m.state, m.verdict) for m in s.marks] for s in report.students}
    assert [state for state, _ in marks["ann"]] == [RIGHT] * 3 == [state for state, _ in marks["cem"]]
    assert marks["bob"][0][0] == RIGHT and marks["bob"][2][0] == RIGHT
    # bob writes every delta with the other sign: a sign convention (issue 17), flagged, not wrong
    bob_err6 = next(s for s in report.students if s.student == "bob").marks[1]
    assert bob_err6.state == RIGHT and "wrong sign" in bob_err6.verdict and "sign convention" in bob_err6.flags[0]


def test_a_missing_given_is_named_in_the_notation():
    """Without a seed every given is needed; the error names the missing ones as the book does."""
    data = copy.deepcopy(HAN_NAMED)
    del data["network"]["weights"]["w56"]
    del data["network"]["biases"]["theta6"]
    with pytest.raises(NeurosimError, match=r"weights: missing w56 \(give all 8 values"):
        spec_from_dict(data)
    data["network"]["weights"]["w56"] = -0.2
    with pytest.raises(NeurosimError, match=r"biases: missing theta6 \(give all 3 values"):
        spec_from_dict(data)


def test_a_sheet_without_matplotlib_lists_the_givens_and_says_so(monkeypatch, tmp_path, capsys):
    """A template with [plot] on a machine without matplotlib: the sheet is still written, with the
    weights and biases in a table, and one note on stderr (exit 0)."""
    import neurosim.views.sheet as sheet

    monkeypatch.setattr(sheet, "has_matplotlib", lambda: False)
    out = tmp_path / "s.md"
    assert main(["sheet", "docs/classroom/template.toml", "--format", "markdown", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "| parameter | connects | value |" in text and "i1 → h1" in text and "network.svg" not in text
    assert capsys.readouterr().err.strip() == (
        "neurosim: note: matplotlib is not installed, so the sheet lists the weights and biases in a table "
        "instead of drawing the network (pip install matplotlib to draw it)")
