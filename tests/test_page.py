"""`neurosim page`: one self-contained HTML file per exercise (nothing fetched), whose panels hold the
step's worked solution line by line with every factor linked to its own line, in the exercise's
notation and in every language; small at size; refused in one line, with no file left, on bad input.
What the page does in a browser is tests/test_page_browser.py's."""

from __future__ import annotations

import io
import json
import re
import tempfile

import pytest

from neurosim import messages
from neurosim.cli.main import main
from neurosim.messages import speaking

from .test_elide import exercise, toml
from .test_translations import Recording


def page(*argv: str, tmp_path=None) -> tuple[str, dict]:
    """The page `neurosim page ARGV -o -` writes, and its data."""
    out = io.StringIO()
    assert main(["page", *argv, "-o", "-"], out) == 0
    text = out.getvalue()
    return text, data_of(text)


def data_of(text: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="page-data">(.*?)</script>', text, re.S).group(1))


def lines(data: dict, step: int = 0) -> dict[str, dict]:
    return {line["id"]: line for line in data["steps"][step]["lines"] if "id" in line}


@pytest.fixture(scope="module")
def mazur():
    with speaking("en"):
        return page("mazur")


def test_the_page_is_one_file_that_fetches_nothing(mazur):
    text, data = mazur
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    assert not re.search(r"<(script|img|iframe)[^>]*\ssrc=|<link\b|@import|url\(", text)
    assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert text.count("<script") == 3 and "<svg" in text and "<style>" in text
    assert len(text.encode()) < 300_000  # Mazur's page


def test_mazurs_values_are_in_the_panels_and_every_factor_is_a_link(mazur):
    """Mazur's published figures (DESIGN.md §6) in the lines; dE/dw1's factors link to their lines,
    and dE/dout_h1 to the two values o1 and o2 send back."""
    _, data = mazur
    by_id = lines(data)
    published = {"out_h1": "0.593269992", "dE/dw5": "0.082167041", "w5+": "0.35891648", "dE/dout_h1": "0.036350306",
                 "dE/dw1": "0.000438568", "w1+": "0.149780716", "E_total": "0.298371109"}
    for name, value in published.items():
        assert by_id[name]["v"] == value
        assert round(float(data["steps"][0]["x"][name]), len(value) - 2) == float(value)
    assert by_id["dE/dw1"]["u"] == ["dE/dout_h1", "dout_h1/dnet_h1", "dnet_h1/dw1"]
    assert by_id["dE/dout_h1"]["u"] == ["dE_o1/dout_h1", "dE_o2/dout_h1"]
    assert by_id["dE_o1/dout_h1"]["u"] == ["delta_o1", "w5"]
    assert 'data-q="dE/dout_h1"' in by_id["dE/dw1"]["f"]
    assert by_id["w1"]["g"] == 1 and by_id["w1"]["v"] == "0.15" and "w1" not in data["steps"][0]["x"]
    weight = [line["i"] for line in data["steps"][0]["lines"] if line.get("e") == "w1"]
    assert weight == ["w1", "dnet_h1/dw1", "dE/dw1", "w1+"]
    assert data["entities"]["neuron:h1"]["title"] == {"en": "Neuron h1", "zh": "神经元 h1"}


def test_the_drawing_has_a_button_per_neuron_weight_and_bias(mazur):
    text, _ = mazur
    svg = text[text.index("<svg"):text.index("</svg>")]
    panels = re.findall(r'<g class="[^"]*" data-panel="([^"]+)" tabindex="0" role="button"', svg)
    assert sorted(panels) == sorted(["neuron:i1", "neuron:i2", "neuron:h1", "neuron:h2", "neuron:o1", "neuron:o2",
                                     "w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "b1", "b2", "E_total"])
    assert 'data-v="out_h1"' in svg and 'data-v="w5"' in svg


def test_a_notation_names_everything_and_keeps_its_signs():
    """hkp: Err5 = -delta_o1 (Mazur's delta_o1 = 0.138498562), units numbered across the network."""
    _, data = page("mazur", "--notation", "hkp")
    by_id = lines(data)
    assert by_id["Err5"]["v"] == "-0.138498562" and float(data["steps"][0]["x"]["Err5"]) < 0
    assert "neuron:3" in data["entities"] and "w35" in data["entities"]
    assert [line["id"] for line in data["steps"][0]["lines"] if line.get("e") == "w35"][-1] == "w35+"


def test_the_learning_rules_rows_are_in_the_weights_panel_for_every_step():
    _, data = page("mazur_adam", "--trace", "1,2")
    assert [s["step"] for s in data["steps"]] == [1, 2]
    weight = [line["id"] for line in data["steps"][1]["lines"] if line.get("e") == "w5"]
    assert weight == ["w5", "dnet_o1/dw5", "dE/dw5", "m_w5", "v_w5", "mhat_w5", "vhat_w5", "Δw5", "w5+"]
    assert lines(data, 1)["w5"]["t"] == {"en": "after step 1", "zh": messages_zh("after step {step}", step=1)}


def messages_zh(text: str, **values) -> str:
    with speaking("zh"):
        return messages.say(text, **values)


def test_a_batch_steps_lines_carry_their_sample_and_link_within_it():
    _, data = page("xor_cross_entropy", "--steps", "1")
    by_id = lines(data)
    assert data["steps"][0]["samples"] == 4
    assert by_id["net_o1[3]"]["s"] == 3 and "out_h1[3]" in by_id["net_o1[3]"]["u"]
    assert "dE/dw1" in by_id and "s" not in by_id["dE/dw1"]  # the batch's gradient is the step's


def test_the_practice_page_has_no_tables_and_carries_the_formulas_it_follows_values_through():
    text, data = page("mazur", "--practice")
    assert data["practice"] is True and '<section id="tables">' not in text and 'id="practice-list"' in text
    formulas = data["formulas"]
    assert formulas["f"]["1|net_h1"] == [["add", [["mul", [["var", "w1", 1], ["var", "i1", 1]]],
                                                   ["mul", [["var", "w2", 1], ["var", "i2", 1]]], ["var", "b1", 1]]]]
    assert formulas["v"]["1|w1"] == "0.15" and formulas["x"] == []
    assert "NeurosimFollow" in text and len(text.encode()) < 300_000


def test_every_sentence_of_a_page_is_translated(monkeypatch):
    original = messages._catalog
    recording = Recording(original("zh"))
    monkeypatch.setattr(messages, "_catalog", lambda code: recording if code == "zh" else original(code))
    text, data = page("mazur_adam", "--practice", "--lang", "zh")
    assert recording.missing == []
    assert '<html lang="zh"' in text and data["lang"] == "zh"
    assert data["texts"]["zh"]["verdict"]["th"] == "从小数点后第 {n} 位起出错"


def test_a_784_64_10_page_draws_groups_elides_sums_and_stays_small(tmp_path):
    """Its practice page (the larger kind: it carries the formulas it follows values through)."""
    path = tmp_path / "big.toml"
    path.write_text(toml(exercise([784, 64, 10])))
    text, data = page(str(path), "--practice")
    assert len(text.encode()) < 2_000_000
    assert "780 more neurons" in text and "60 more neurons" in text and "6 more neurons" in text
    by_id = lines(data)
    assert by_id["net_h1"]["t"]["en"] == "785 terms" and "…" in by_id["net_h1"]["f"]
    assert sorted(n for n in data["entities"] if n.startswith("neuron:i")) == [
        "neuron:i1", "neuron:i2", "neuron:i783", "neuron:i784"]
    assert "w784" in data["entities"] and 'data-q="w784"' in by_id["net_h1"]["f"]  # the last term's weight
    formulas = data["formulas"]
    assert "1|net_h1" in formulas["f"] and "1|net_h7" not in formulas["f"]  # h7 is not drawn: no one writes it
    assert "1|E_total+" in formulas["x"]  # it hangs on all 50,890 new weights: judged, not followed through


def run(argv, capsys):
    code = main(argv, io.StringIO())
    return code, capsys.readouterr().err


def test_an_output_folder_that_is_missing_or_read_only_is_one_line_and_no_file(tmp_path, capsys, monkeypatch):
    code, err = run(["page", "mazur", "-o", str(tmp_path / "nowhere" / "p.html")], capsys)
    assert code == 2 and err.count("\n") == 1 and "does not exist" in err
    assert not (tmp_path / "nowhere").exists()
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)

    def refused(*args, **kwargs):  # what a read-only folder does to everyone but root
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(tempfile, "mkstemp", refused)
    code, err = run(["page", "mazur", "-o", str(locked / "p.html")], capsys)
    assert code == 2 and err.count("\n") == 1 and "Permission denied" in err
    assert list(locked.iterdir()) == []


DIVERGES = """title = "o1 = w1·i1, learning rate 1e200: w1+ = -2e200, and E_o1 overflows at step 2"
[network]
layers = [1, 1]
activations = "linear"
bias = "none"
weights = [1.0]
[data]
inputs = [[1.0]]
targets = [[0.0]]
[training]
loss = "sse"
learning_rate = 1e200
steps = 3
"""


def test_an_exercise_that_cannot_be_traced_is_one_line_and_no_file(tmp_path, capsys):
    out, path = tmp_path / "p.html", tmp_path / "diverges.toml"
    path.write_text(DIVERGES)
    code, err = run(["page", str(path), "--trace", "3", "-o", str(out)], capsys)
    assert code == 2 and err.count("\n") == 1 and "training stopped at step" in err and not out.exists()
    code, err = run(["page", "mazur", "--trace", "5", "-o", str(out)], capsys)
    assert code == 2 and err.count("\n") == 1 and "--trace" in err and not out.exists()
    path = tmp_path / "big.toml"
    path.write_text(toml(exercise([784, 64, 10])))
    code, err = run(["page", str(path), "--max-memory", "1M", "-o", str(out)], capsys)
    assert code == 2 and err.count("\n") == 1 and not out.exists()


def test_the_page_is_written_where_asked_and_said(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    assert main(["page", "mazur", "--practice"], out) == 0
    assert (tmp_path / "mazur-practice.html").is_file() and "Wrote mazur-practice.html (" in out.getvalue()
