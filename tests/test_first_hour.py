"""What a new user trips on (issue 18, items 19 and 20): an unquoted w5+ in [expect] gets the hint
to quote it; --expect takes a decimal comma as grading does, with a note; argparse's own usage
and errors are in Chinese under --lang zh; one vocabulary of format names across the commands."""

import io

import pytest

from neurosim.cli import main


def test_an_unquoted_name_with_a_plus_gets_the_hint_to_quote_it(tmp_path, capsys):
    path = tmp_path / "mine.toml"
    path.write_text('title = "x"\n[network]\nlayers = [2, 1]\nseed = 1\n[data]\ninputs = [[1, 0]]\n'
                    'targets = [[1]]\n[expect]\nw5+ = 0.3589\n', encoding="utf-8")
    assert main(["check", str(path)], io.StringIO()) == 2
    err = capsys.readouterr().err
    assert "not valid TOML: Expected '=' after a key" in err
    assert err.rstrip().endswith('quote a name that holds + / or @: "w5+" = 0.3589') and err.count("\n") == 1
    path.write_text('title = "x\n', encoding="utf-8")  # another TOML error: no hint
    assert main(["check", str(path)], io.StringIO()) == 2
    assert "quote a name" not in capsys.readouterr().err


def test_expect_takes_a_decimal_comma_with_a_note(capsys):
    comma, point = io.StringIO(), io.StringIO()
    assert main(["check", "mazur", "--expect", "w5+=0,3589", "--expect", "out_h1=0.5933"], comma) == 0
    err = capsys.readouterr().err
    assert "note: --expect w5+=0,3589 read as 0.3589 (a decimal comma)" in err
    assert main(["check", "mazur", "--expect", "w5+=0.3589", "--expect", "out_h1=0.5933"], point) == 0
    assert comma.getvalue() == point.getvalue()
    assert main(["check", "mazur", "--expect", "w5+=0,35,89"], io.StringIO()) == 2  # not a number either way


def test_argparse_speaks_chinese_under_lang_zh(capsys):
    with pytest.raises(SystemExit):
        main(["run", "--lang", "zh", "--help"], io.StringIO())
    text = capsys.readouterr().out
    assert "用法：" in text and "位置参数" in text and "显示此帮助信息并退出" in text and "usage:" not in text
    for argv in (["run", "--lang", "zh"], ["--lang", "zh", "chek", "mazur"], ["run"]):
        with pytest.raises(SystemExit) as stop:
            main(argv, io.StringIO())
        assert stop.value.code == 2
    errors = capsys.readouterr().err.splitlines()
    assert errors[0] == "neurosim: error: 缺少必需的参数：NAME|PATH（见 `neurosim run --help`）"
    assert "无效的选择：'chek'（是不是 'check'？可选：" in errors[1]
    assert errors[2] == ("neurosim: error: the following arguments are required: NAME|PATH "  # English as before
                         "(see `neurosim run --help`)")


@pytest.mark.parametrize("command, alias, canonical", [
    (["run", "mazur"], "markdown", "github"), (["run", "mazur"], "md", "markdown"),
    (["explain", "mazur"], "github", "markdown"), (["explain", "mazur"], "tex", "latex"),
    (["check", "mazur", "--expect", "w5+=0.3589"], "markdown", "github"),
])
def test_one_vocabulary_of_format_names_with_aliases(command, alias, canonical):
    """run --format markdown and explain --format github were refused; an alias writes what its name does."""
    a, b = io.StringIO(), io.StringIO()
    assert main([*command, "--format", alias], a) == 0
    assert main([*command, "--format", canonical], b) == 0
    assert a.getvalue() == b.getvalue() and a.getvalue()


def test_run_format_html_is_a_whole_page():
    out = io.StringIO()
    assert main(["run", "mazur", "--format", "html"], out) == 0
    page = out.getvalue()
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">") and page.endswith("</body>\n</html>\n")
    assert "<title>Mazur&#x27;s step-by-step" in page and page.count("<table") > 5


def test_notations_point_to_what_a_user_has():
    """`neurosim notations` named "DESIGN.md §4", a file users do not get (issue 18, item 15)."""
    out = io.StringIO()
    assert main(["notations"], out) == 0
    assert "DESIGN.md" not in out.getvalue() and "the README's names" in out.getvalue()
