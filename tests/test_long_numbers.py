"""Numbers written with many decimals (issue: hostile input): 29 or more decimals, or a learning rate
of 1e308, used to crash in `decimal` (28 digits); now they are judged, and a number with more digits
than any float shows is refused naming it — in `grade`, that cell alone is ungraded, and said so."""

import io

from neurosim.check.verdict import judge
from neurosim.cli.main import main


def run(argv):
    out = io.StringIO()
    return main(argv, out), out.getvalue()


def test_a_value_with_29_decimals_is_judged():
    assert judge("1e-29", 0.35891648).kind == "wrong"
    assert judge("0.35891648000000000000000000000000", 0.35891648).kind == "correct"


def test_a_huge_computed_value_written_to_a_decimal_is_judged():
    # with --lr 1e308, w5+ is about -8.2e306: judged at the decimal written, not a decimal.InvalidOperation
    assert judge("-8.2e306", -8.216704056423078e306).kind == "correct"
    assert judge("1.5", -8.216704056423078e306).kind == "wrong"


def test_check_refuses_a_value_with_more_digits_than_can_be_judged_naming_it(capsys):
    assert run(["check", "mazur", "--expect", "w5+=1e-29"])[0] == 1  # judged: wrong
    capsys.readouterr()
    assert run(["check", "mazur", "--expect", "w5+=1e-500"])[0] == 2
    assert capsys.readouterr().err == ("neurosim: error: --expect w5+: '1e-500' has more digits than a number can "
                                       "be judged to (at most 400 decimals)\n")
    assert run(["check", "mazur", "--lr", "1e308", "--expect", "w5+=0.3"])[0] == 1


def test_grade_leaves_only_that_cell_ungraded_and_says_so(tmp_path, capsys):
    variants = tmp_path / "variants"
    variants.mkdir()
    run(["export", "mazur", "-o", str(variants / "v01.toml")])
    answers = tmp_path / "answers.csv"
    answers.write_text("student,variant,w5+,E_total\n"
                       "ann,v01,1e-29,0.298371109\n"
                       "bob,v01,1e-500,0.298371109\n"
                       "cy,v01,0.35891648,0.298371109\n")
    code, out = run(["grade", str(answers), "--variants", str(variants), "--format", "csv"])
    err = capsys.readouterr().err
    assert code == 2
    assert "row 3, column C (w5+): '1e-500' has more digits than a number can be judged to" in err
    assert "it is not graded" in err
    rows = out.splitlines()
    assert any(r.startswith("cy,") for r in rows) and any(r.startswith("ann,") for r in rows)
    assert any(r.startswith("bob,") for r in rows)  # bob's E_total is still graded
