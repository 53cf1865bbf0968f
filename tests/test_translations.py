"""Chinese output (issue 10): every sentence of the code has a translation in the zh catalog with
the same placeholders, the catalog has no stale entry and its compiled .mo is current; every
output rendered in Chinese asks the catalog for nothing it lacks (sentences said from data —
a mistake's explanation, a notation's title — included) and shows none of the English headings
that the same output shows in English; --lang and NEUROSIM_LANG choose the language."""

import ast
import contextlib
import functools
import io
import shutil
import sys
import textwrap
from pathlib import Path

import pytest

from neurosim import messages
from neurosim.cli import main
from neurosim.messages import say, set_language, speaking

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import i18n  # noqa: E402  (tools/i18n.py: the catalogs' extraction, .po and .mo)

CLASSROOM = ROOT / "docs" / "classroom"
EXPECT = '\n[expect]\nout_h1 = "0.5933"\n"dE/dout_h1" = "0.030230"\n"w1+" = "0.149818"\n'  # Mazur's, by hand


def test_every_sentence_of_the_code_is_translated_with_its_placeholders_and_the_mo_is_current():
    found, _ = i18n.extract()
    assert len(found) > 400  # the extraction finds the code's sentences (it cannot pass by finding none)
    catalogs = i18n.catalogs()
    assert list(catalogs) == ["zh"]
    assert i18n.problems("zh", catalogs["zh"], found) == []


def test_the_checks_of_a_catalog_can_fail(tmp_path):
    """A missing translation, a placeholder that differs, a stale entry and an old .mo are each reported."""
    found, _ = i18n.extract()
    po = tmp_path / "zh" / "LC_MESSAGES" / "neurosim.po"
    po.parent.mkdir(parents=True)
    entries = i18n.read_po(i18n.catalogs()["zh"])
    entries["All 1 value right."] = (entries["All 1 value right."][0], ["全部正确。"])  # {count} lost
    del entries["Worked solution: {title} — step {step}"]
    entries["a sentence the code no longer says"] = (None, ["旧的"])
    i18n.write_po(po, "zh", found, entries)
    with po.open("a", encoding="utf-8") as handle:
        handle.write('\nmsgid "a sentence the code no longer says"\nmsgstr "旧的"\n')
    problems = "\n".join(i18n.problems("zh", po, found))
    assert "placeholders" in problems and "All 1 value right." in problems
    assert "no translation of 'Worked solution: {title} — step {step}'" in problems
    assert "stale entry 'a sentence the code no longer says'" in problems
    assert "is not neurosim.po compiled" in problems


def test_the_mo_writer_agrees_with_the_standard_library_reader(tmp_path):
    """tools/i18n.py writes .mo files that gettext reads back: plural forms, the header, UTF-8."""
    import gettext

    path = tmp_path / "x.mo"
    path.write_bytes(i18n.compile_po({"": (None, [i18n.HEADER["zh"]]), "quantity": (None, ["量"]),
                                      "1 student": ("{count} students", ["{count} 名学生"]),
                                      "untranslated": (None, [""])}))
    with path.open("rb") as handle:
        t = gettext.GNUTranslations(handle)
    assert t.gettext("quantity") == "量" and t.gettext("untranslated") == "untranslated"
    assert t.ngettext("1 student", "{count} students", 1) == t.ngettext("1 student", "{count} students", 7) == \
        "{count} 名学生"


def test_no_sentence_is_glued_at_run_time():
    """A sentence is a literal (or a name holding one marked with N_ elsewhere): never an f-string,
    a concatenation or a .format() result, which no catalog could hold."""
    glued = []
    for path in sorted((ROOT / "neurosim").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and i18n._called(node):
                for arg in node.args[:i18n.FUNCTIONS[i18n._called(node)]]:
                    if isinstance(arg, (ast.JoinedStr, ast.BinOp)) or (
                            isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute)
                            and arg.func.attr == "format"):
                        glued.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert glued == []


# -- every output, in both languages ------------------------------------------------------------------
class Recording:
    """The zh translations, remembering every sentence asked for that the catalog lacks."""

    def __init__(self, inner):
        self.inner, self.missing = inner, []

    def gettext(self, message):
        if message not in self.inner._catalog:
            self.missing.append(message)
        return self.inner.gettext(message)

    def ngettext(self, one, many, n):
        if (one, 0) not in self.inner._catalog:
            self.missing.append(one)
        return self.inner.ngettext(one, many, n)


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    """30 variants of the classroom template, as the README's "For teachers" makes them."""
    directory = tmp_path_factory.mktemp("classroom")
    with speaking("en"):
        assert main(["variants", str(CLASSROOM / "template.toml"), "--count", "30", "--seed", "11", "-o",
                     str(directory / "v")], io.StringIO()) == 0
    mazur = io.StringIO()
    assert main(["export", "mazur"], mazur) == 0
    (directory / "hand.toml").write_text(mazur.getvalue() + EXPECT, encoding="utf-8")
    return directory


def commands(d: Path) -> dict[str, list[str]]:
    """Every kind of output: tables, matrices, checks and diagnoses, worked solutions, sheets, keys,
    grades, the catalogs of mistakes and notations, in batches and rules and notations and at size."""
    hand, v07, big = str(d / "hand.toml"), str(d / "v" / "v07.toml"), str(d / "big.toml")
    return {
        "run": ["run", "mazur"], "run-batch": ["run", "xor_cross_entropy", "--steps", "3", "--trace", "1,3"],
        "run-matrix": ["run", "xor_cross_entropy", "--steps", "2", "--view", "matrix"],
        "run-hkp": ["run", "mazur", "--notation", "hkp"], "run-adam": ["run", "mazur_adam"],
        "run-momentum": ["run", "mazur", "--rule", "momentum", "--momentum", "0.9", "--steps", "2"],
        "run-extras": ["run", "numeric_gd"], "run-layouts": ["run", "broadcast_forward"],
        "run-tolerance": ["run", "mazur", "--tolerance", "0.3", "--flat-spot", "0.1", "--round", "3"],
        "run-big": ["run", big], "run-summary": ["run", str(d / "huge.toml")],
        "check": ["check", hand], "check-habit": ["check", "mazur", "--expect", "out_h1=0.593", "--diagnose"],
        "check-none": ["check", "mazur", "--expect", "w5+=0.3", "--expect", "w1+=0.2"],
        "check-all": ["check", "mazur", "--expect", "w5+=0.3589"], "check-adam": ["check", "mazur_adam"],
        "gradcheck": ["gradcheck", "curve_fit"], "mistakes": ["mistakes"], "notations": ["notations"],
        "explain": ["explain", "mazur"], "explain-latex": ["explain", "mazur", "--format", "latex"],
        "explain-html": ["explain", "xor_cross_entropy", "--format", "html"],
        "explain-batch": ["explain", "curve_fit", "--format", "markdown", "--round", "3"],
        "explain-hkp": ["explain", "mazur", "--notation", "hkp"], "explain-rule": ["explain", "mazur_adam"],
        "explain-big": ["explain", big],
        "sheet": ["sheet", v07, "--format", "html"], "sheet-latex": ["sheet", "mazur", "--format", "latex"],
        "key": ["sheet", v07, "--key", "--format", "markdown"],
        "grade": ["grade", str(CLASSROOM / "answers.csv"), "--variants", str(d / "v")],
        "grade-html": ["grade", str(CLASSROOM / "answers.csv"), "--variants", str(d / "v"), "--format", "html"],
        "grade-bad": ["grade", str(d / "bad.csv"), "--variants", str(d / "v")],
    }


def _exercise(layers, samples=1) -> str:
    import numpy as np

    rng = np.random.default_rng(1)
    inputs = rng.uniform(0, 1, size=(samples, layers[0])).round(4).tolist()
    targets = np.eye(layers[-1])[rng.integers(layers[-1], size=samples)].tolist()
    return (f'title = "big"\n[network]\nlayers = {layers}\nactivations = "sigmoid"\ninit = "normal"\nseed = 1\n'
            f"[data]\ninputs = {inputs}\ntargets = {targets}\n[training]\nlearning_rate = 0.1\n")


def render_all(directory: Path, code: str) -> dict[str, str]:
    """Every output of `commands` in language `code`, what it writes to stderr included."""
    (directory / "big.toml").write_text(_exercise([3, 60, 2]), encoding="utf-8")
    (directory / "huge.toml").write_text(_exercise([200, 40, 3]), encoding="utf-8")
    (directory / "bad.csv").write_text("student,variant,w5+,w5_new\nA,v01,O.35,1\nB,v99,0.1,1\n", encoding="utf-8")
    outputs = {}
    for name, argv in commands(directory).items():
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(err):
            main([*argv, "--lang", code], out)
        outputs[name] = out.getvalue() + err.getvalue()
    return outputs


@pytest.fixture(scope="module")
def rendered(classroom):
    """Every output rendered once in English and once in Chinese, the Chinese through a Recording
    of the zh catalog (the tests below share them: rendering is most of their time)."""
    english = render_all(classroom, "en")
    original = messages._catalog
    recording = Recording(original("zh"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(messages, "_catalog", lambda code: recording if code == "zh" else original(code))
        chinese = render_all(classroom, "zh")
    set_language("en")
    return english, chinese, recording


# English words of headings, verdicts, diagnoses, worked solutions, sheets and grades: each is in some
# English output (checked, so that this list cannot go stale) and in no Chinese one
ENGLISH = ("Forward pass", "Errors (", "deltas (delta = dE/dnet)", "Gradients and updates", "After the update",
           "with the numbers", "correct to", "wrong from the", "Diagnosis:", "values right", "Conventions",
           "Worked solution", "The forward pass", "The backward pass", "Weights and biases", "Chain rule",
           "Learning rule", "Training summary", "Per-layer summary", "not shown", "(frozen)", "Answer key",
           "Your answers", "Students", "Class summary", "no explanation", "Gradient check", "passed:",
           "Published figures", "Matrix shapes", "shape (", "every quantity rounded", "Notations:",
           "conventions and mistakes", "step 1", "Sample ",
           "Neuron ", "not graded", "is not a number", "Name:", "Exercise")


def without_authored_text(text: str) -> str:
    """An output without the titles, descriptions and published figures' sources the exercises'
    authors wrote (English prose that is the exercise's, not neurosim's: 'Forward pass with NumPy
    broadcasting …', 'Mazur (2015), step 1')."""
    for piece in _authored_pieces():
        text = text.replace(piece, "")
    return text


@functools.cache
def _authored_pieces() -> tuple[str, ...]:
    from neurosim.scenarios import load_scenario, summaries

    pieces = []
    for spec in [load_scenario(name) for name, _ in summaries()]:
        sources = [entry.source for entry in spec.published]
        pieces += [p for p in [spec.description, *textwrap.wrap(spec.description, 100), spec.title, *sources] if p]
    return tuple(pieces)


@pytest.mark.xdist_group("rendered")
def test_every_output_in_chinese_uses_only_translated_sentences(rendered):
    english, chinese, recording = rendered
    assert recording.missing == []
    assert len(recording.inner._catalog) > 400
    everything_en = "\n".join(english.values())
    chinese_own = {name: without_authored_text(text) for name, text in chinese.items()}
    for phrase in ENGLISH:
        assert phrase in everything_en, phrase
        leaks = [name for name, text in chinese_own.items() if phrase in text]
        assert leaks == [], f"{phrase!r} in the Chinese output of {leaks}"
    for name in ("run", "check", "explain", "sheet", "grade", "mistakes"):
        assert any("\u4e00" <= c <= "\u9fff" for c in chinese[name]), name
    # the numbers and quantity names stay as they are
    assert "0.35891648" in chinese["run"] and "w5+" in chinese["check"] and "sequential-update" in chinese["check"]
    assert "从小数点后第 2 位起出错" in chinese["check"] and "诊断" in chinese["check"]


@pytest.mark.xdist_group("rendered")
def test_a_chinese_latex_document_uses_ctex_and_an_html_page_says_zh(rendered):
    english, chinese, _ = rendered
    assert r"\usepackage{ctex}" in chinese["explain-latex"] and "xelatex" in chinese["explain-latex"]
    assert "前向传播" in chinese["explain-latex"] and "[U+" not in chinese["explain-latex"]
    assert '<html lang="zh">' in chinese["explain-html"] and "Noto Serif CJK SC" in chinese["explain-html"]
    assert '<html lang="zh">' in chinese["grade-html"] and '<html lang="zh">' in chinese["sheet"]
    assert r"\usepackage{ctex}" not in english["explain-latex"] and '<html lang="en">' in english["explain-html"]


@pytest.mark.skipif(shutil.which("xelatex") is None, reason="xelatex not installed (the zh LaTeX needs it)")
def test_a_chinese_worked_solution_compiles_with_xelatex(tmp_path):  # pragma: no cover - where TeX is
    import subprocess

    out = io.StringIO()
    assert main(["explain", "mazur", "--format", "latex", "--lang", "zh"], out) == 0
    (tmp_path / "zh.tex").write_text(out.getvalue(), encoding="utf-8")
    run = subprocess.run(["xelatex", "-interaction=nonstopmode", "zh.tex"], cwd=tmp_path, capture_output=True)
    assert (tmp_path / "zh.pdf").exists(), run.stdout[-2000:]


# -- choosing the language ---------------------------------------------------------------------------
def test_lang_before_or_after_the_command_and_the_environment(monkeypatch):
    argv = ["check", "mazur", "--expect", "w5+=0.3589"]
    outs = {}
    for key, args in (("after", [*argv, "--lang", "zh"]), ("before", ["--lang", "zh", *argv]),
                      ("en", argv), ("zh_CN", ["--lang", "zh_CN.UTF-8", *argv])):
        out = io.StringIO()
        assert main(args, out) == 0
        outs[key] = out.getvalue()
    monkeypatch.setenv("NEUROSIM_LANG", "zh")
    out = io.StringIO()
    assert main(argv, out) == 0
    outs["env"] = out.getvalue()
    out = io.StringIO()
    assert main([*argv, "--lang", "en"], out) == 0  # the option beats the environment
    assert out.getvalue() == outs["en"]
    assert outs["after"] == outs["before"] == outs["env"] == outs["zh_CN"] != outs["en"]
    assert "正确（4 位小数）" in outs["after"] and "correct to 4 decimals" in outs["en"]


def test_an_unknown_language_is_one_line_and_exit_2(monkeypatch, capsys):
    assert main(["list", "--lang", "fr"]) == 2
    assert capsys.readouterr().err == "neurosim: error: --lang: unknown language 'fr' (choose from en, zh)\n"
    monkeypatch.setenv("NEUROSIM_LANG", "klingon")
    assert main(["list"]) == 2
    assert capsys.readouterr().err.strip() == \
        "neurosim: error: NEUROSIM_LANG: unknown language 'klingon' (choose from en, zh)"


def test_a_sentence_without_values_keeps_its_braces_and_empty_is_empty():
    with speaking("zh"):
        assert say("") == ""  # gettext would give the catalog's header
        assert say("quantity") == "量"
    set_language("en")
    assert say("{{quantity}} (step {step})", step=2) == "{quantity} (step 2)"


def _starts(line: str) -> set[int]:
    """The terminal columns at which the words of `line` start (a Chinese character takes two)."""
    from neurosim.views.tables import display_width

    starts, column, before = set(), 0, " "
    for character in line:
        if character != " " and before == " ":
            starts.add(column)
        column, before = column + display_width(character), character
    return starts


@pytest.mark.xdist_group("rendered")
def test_chinese_tables_line_up_in_a_terminal(rendered):
    """Every header of a plain table starts where its column's dashes start, in terminal columns
    (tabulate counts a Chinese character as two only with wcwidth: tabulate[widechars])."""
    chinese = rendered[1]
    checked = 0
    for name in ("run", "check", "check-habit", "grade", "run-adam"):
        lines = chinese[name].splitlines()
        for k in range(1, len(lines) - 1):
            if lines[k] and set(lines[k]) <= {"-", " "} and "-" in lines[k]:
                columns = _starts(lines[k])
                header = lines[k - 1]
                assert columns <= _starts(header), (name, header, lines[k])
                checked += any("\u4e00" <= c <= "\u9fff" for c in header)
    assert checked >= 10


def test_an_exercise_files_error_names_its_line_in_chinese_too(tmp_path, capsys):
    path = tmp_path / "hkp.toml"
    path.write_text('title = "x"\nnotation = "hkp"\n[network]\nlayers = [3, 2, 1]\n[network.weights]\nw41 = 0.2\n'
                    "[data]\ninputs = [[1, 0, 1]]\ntargets = [[1]]\n", encoding="utf-8")
    assert main(["run", str(path), "--lang", "zh"]) == 2
    assert capsys.readouterr().err.rstrip().endswith("（是不是 'w14'？这个 3-2-1 网络的参数是 w14..w56）（第 6 行）")
    assert main(["run", str(path)]) == 2
    assert capsys.readouterr().err.rstrip().endswith("(did you mean 'w14'? this 3-2-1 network has w14..w56) (line 6)")


def test_a_class_file_with_the_chinese_headings_is_graded(classroom, tmp_path, capsys):
    """grades.csv written with --lang zh starts 学生,变体: read back as student, variant."""
    path = tmp_path / "zh.csv"
    path.write_text("学生,变体,w5+\nA,v01,0.35\n", encoding="utf-8")
    assert main(["grade", str(path), "--variants", str(classroom / "v"), "--lang", "zh"], io.StringIO()) == 0
    assert "error" not in capsys.readouterr().err


def test_the_common_one_line_errors_are_said_in_chinese_and_unchanged_in_english(tmp_path, capsys):
    """A typo in a scenario, a number, a rule or an exercise file's value: one line, exit 2, in
    Chinese with --lang zh; without it, the English line exactly as it was before it was translated."""
    path = tmp_path / "typo.toml"
    path.write_text(textwrap.dedent("""\
        [network]
        layers = [2, 2, 2]
        seed = 1
        [data]
        inputs = [[0.05, 0.10]]
        targets = [[0.01, 0.99]]
        [training]
        learning_rate = "fast"
        """), encoding="utf-8")
    cases = (
        (["run", "nosuch"], "unknown scenario 'nosuch'; `neurosim list` shows them"),
        (["check", "mazur", "--expect", "O6=abc"], "--expect O6: 'abc' is not a number"),
        (["run", "mazur", "--rule", "adamm"], "--rule: unknown rule 'adamm' (did you mean 'adam'?)"),
        (["run", str(path)], f"{path}: training.learning_rate: 'fast' is not a number (line 8)"),
        (["run", "mazur", "--digits", "40"], "--digits: must be between 0 and 17, got 40"),
        (["run", "mazur", "--every", "0"], "--every: must be at least 1, got 0"),
        (["explain", "mazur", "--step", "0"], "--step: must be at least 1, got 0"),
        (["run", "mazur", "--view", "matrix", "--round", "4"], "matrix view: hand rounding (round) is a "
                                                              "neuron-level option; the matrix view computes in "
                                                              "float64 or float32"),
    )
    for argv, english in cases:
        assert main([*argv, "--lang", "zh"], io.StringIO()) == 2
        chinese = capsys.readouterr().err
        assert chinese.count("\n") == 1 and chinese.startswith("neurosim: error: "), chinese
        assert any("\u4e00" <= c <= "\u9fff" for c in chinese) and "is not" not in chinese, chinese
        assert main(argv, io.StringIO()) == 2
        assert capsys.readouterr().err == f"neurosim: error: {english}\n"
