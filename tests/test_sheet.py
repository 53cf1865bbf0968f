"""Question sheets and answer keys (`neurosim sheet`): the sheet gives the network, the
conventions and a blank answer table, and none of the answers; the key gives the answers and the
worked solution. Mazur's answers are checked against the numbers his blog publishes (seed 001,
DESIGN.md §6)."""

import copy
import html.parser
import re
import shutil
import subprocess
import tomllib

import pytest

from neurosim import NeurosimError
from neurosim.cli import main
from neurosim.files.exercise import spec_from_dict
from neurosim.scenarios import load_scenario, scenario_dict
from neurosim.views.answer_key import answer_key
from neurosim.views.sheet import question_sheet

MAZUR_PUBLISHED = {"E_total": "0.298371109", "w5+": "0.35891648", "w6+": "0.408666186", "w7+": "0.51130127",
                   "w8+": "0.561370121", "w1+": "0.149780716", "w2+": "0.19956143", "w3+": "0.24975114",
                   "w4+": "0.29950229"}  # Mazur's blog (seed 001); w2+..w4+ as he rounds them


def exercise(**top):
    data = copy.deepcopy(scenario_dict("mazur"))
    data.pop("published")
    data.update(top)
    return spec_from_dict(data)


def test_the_sheet_asks_and_does_not_answer():
    text = question_sheet(load_scenario("mazur"), "markdown").text
    assert "## Your answers" in text and "| quantity | your answer |" in text
    for name in ("E_{\\mathit{total}}", "w_{5}^{+}", "w_{1}^{+}"):
        assert f"| $`{name}`$ | |" in text
    assert "| $`w_{5}`$ | h1 → o1 | 0.4 |" in text and "i_{1} = 0.05" in text
    assert "One bias per layer, shared by its neurons; the biases are not updated." in text
    assert "with learning rate $`\\eta  = 0.5`$" in text
    for answer in [*MAZUR_PUBLISHED.values(), "0.3589", "0.7513", "0.08216"]:
        assert answer not in text


def test_the_key_gives_mazurs_published_answers_and_the_worked_solution():
    text = answer_key(load_scenario("mazur"), "markdown")
    rows = {line.split("|")[1].strip(): line.split("|")[2].strip() for line in text.splitlines()
            if line.startswith("| $`")}
    names = {"E_total": "E_{\\mathit{total}}", **{f"w{k}+": f"w_{{{k}}}^{{+}}" for k in range(1, 9)}}
    for quantity, published in MAZUR_PUBLISHED.items():
        shown = rows[f"$`{names[quantity]}`$"]
        assert shown.startswith(published[:-1]), (quantity, shown, published)  # to the last digit he prints
    assert "## Worked solution: Mazur's" in text and "### 1. The forward pass" in text


def test_ask_with_decimals_and_steps():
    spec = exercise(ask={"quantities": ["out_o1", "dE/dw5", "w5+@2"], "decimals": 4})
    spec = spec_from_dict({**spec.raw, "training": {**spec.raw["training"], "steps": 2}})
    sheet = question_sheet(spec, "markdown").text
    assert "Give every answer to 4 decimals." in sheet and "Work 2 training steps" in sheet
    assert "w_{5}^{+}`$ (step 2) | |" in sheet and "\\mathit{out}_{o1}`$ (step 2) | |" in sheet
    key = answer_key(spec, "markdown")
    assert "| quantity | answer | to 4 decimals |" in key
    assert "| $`\\mathit{out}_{o1}`$ (step 2) |" in key
    assert "## Worked solution: Mazur's step-by-step backpropagation example (2-2-2 sigmoid, ½SSE) — step 2" in key
    one_step = answer_key(exercise(ask={"quantities": ["w5+"], "decimals": 4}), "markdown")
    assert "| $`w_{5}^{+}`$ | 0.35891648 | 0.3589 |" in one_step  # Mazur: w5+ = 0.35891648


def test_an_unknown_asked_quantity_is_an_error_with_a_hint():
    with pytest.raises(NeurosimError) as error:
        question_sheet(exercise(ask=["dE/dww5"]), "markdown")
    assert str(error.value).startswith("ask: no quantity named 'dE/dww5' (did you mean 'dE/dw5'")  # as check says it
    with pytest.raises(NeurosimError) as error:
        question_sheet(exercise(ask=["w5+@3"]), "markdown")
    assert "ask: w5+@3: step 3 is beyond the 1 step(s) the exercise runs" in str(error.value)


class Tags(html.parser.HTMLParser):
    """Every start tag and attribute of a page, and whether its elements close in order."""

    VOID = {"meta", "br", "img", "input", "link", "path", "use", "rect", "circle", "stop"}

    def __init__(self):
        super().__init__()
        self.open, self.seen, self.balanced = [], [], True

    def handle_starttag(self, tag, attrs):
        self.seen.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.seen.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        self.balanced = self.balanced and bool(self.open) and self.open.pop() == tag


def self_contained(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    assert tags.balanced and not tags.open
    assert not any(tag == "script" for tag, _ in tags.seen)
    for _, attrs in tags.seen:
        for name in ("src", "href"):
            assert not str(attrs.get(name, "#")).startswith(("http", "//", "file")), attrs
    assert not re.search(r"url\((?!#)", page) and "@import" not in page  # url(#id): a reference inside the page
    return tags


def test_an_html_sheet_with_plot_holds_its_drawing(tmp_path):
    sheet = question_sheet(exercise(plot={"digits": 2}), "html")
    assert sheet.pictures == ()
    tags = self_contained(sheet.text)
    assert sum(tag == "svg" for tag, _ in tags.seen) == 1 and not any(tag == "img" for tag, _ in tags.seen)
    assert '<figure role="img" aria-label="The 2-2-2 network with every weight and bias">' in sheet.text
    assert "<table>" not in sheet.text.split("<figure")[1].split("</figure>")[0]
    self_contained(answer_key(load_scenario("mazur"), "html"))


def compiles(directory, name) -> bool:
    result = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", name], cwd=directory,
                            capture_output=True, text=True, timeout=120)
    return result.returncode == 0


def test_a_directory_of_variants_gets_a_sheet_and_a_key_each_and_latex_compiles(tmp_path, capsys):
    data = copy.deepcopy(scenario_dict("mazur"))
    data.pop("published")
    data.update({"ask": {"quantities": ["out_o1", "dE/dw5", "w5+", "w1+"], "decimals": 4}, "plot": {}})
    template = tmp_path / "template.toml"
    from neurosim.files.tomlwriter import dumps

    template.write_text(dumps(data), encoding="utf-8")
    assert main(["variants", str(template), "--count", "3", "--seed", "2", "-o", str(tmp_path / "v")]) == 0
    assert main(["sheet", str(tmp_path / "v"), "--format", "latex", "-o", str(tmp_path / "out")]) == 0
    assert "Wrote the question sheets and answer keys of 3 exercises" in capsys.readouterr().out
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(f"v0{k}-{kind}" for k in (1, 2, 3)
                           for kind in ("sheet.tex", "key.tex", "network.pdf"))
    sheet = (tmp_path / "out" / "v02-sheet.tex").read_text(encoding="utf-8")
    assert r"\usepackage{graphicx}" in sheet and "{v02-network.pdf}" in sheet
    assert sheet.count(r"\begin{") == sheet.count(r"\end{") and sheet.rstrip().endswith(r"\end{document}")
    assert r"\title{Exercise v02: Mazur" in sheet and r"\rule{0pt}{2.2em}" in sheet
    if shutil.which("pdflatex"):
        assert compiles(tmp_path / "out", "v02-sheet.tex") and compiles(tmp_path / "out", "v02-key.tex")


def test_cli_single_sheet_key_and_errors(tmp_path, capsys):
    assert main(["sheet", "mazur"]) == 0
    assert capsys.readouterr().out == question_sheet(load_scenario("mazur"), "markdown").text
    assert main(["sheet", "mazur", "--key", "--format", "html", "-o", str(tmp_path / "key.html")]) == 0
    assert (tmp_path / "key.html").read_text(encoding="utf-8") == answer_key(load_scenario("mazur"), "html")
    plotted = tmp_path / "plotted.toml"
    data = copy.deepcopy(scenario_dict("mazur"))
    data["plot"] = {}
    from neurosim.files.tomlwriter import dumps

    plotted.write_text(dumps(data), encoding="utf-8")
    assert tomllib.loads(plotted.read_text(encoding="utf-8"))["plot"] == {}
    capsys.readouterr()
    assert main(["sheet", str(plotted)]) == 2
    assert "give -o FILE" in capsys.readouterr().err
    assert main(["sheet", str(plotted), "-o", str(tmp_path / "s.md")]) == 0
    assert "![The 2-2-2 network with every weight and bias](s-network.svg)" in (tmp_path / "s.md").read_text("utf-8")
    assert (tmp_path / "s-network.svg").read_bytes().startswith(b"<?xml")
    empty = tmp_path / "empty"
    empty.mkdir()
    capsys.readouterr()
    assert main(["sheet", str(empty)]) == 2
    assert "no exercise files" in capsys.readouterr().err
