"""What users see names the published sources (author, title, address), never the project's own
working names for them ("seed 001", "seed 004's bug"): the scenario files (`export`), their
published-figures tables (`check NAME`), the extra tables, `neurosim list` and `mistakes`, in
English and in Chinese."""

import io
import re

import pytest

from neurosim.cli.main import main
from neurosim.scenarios import NAMES

WORKING_NAME = re.compile(r"\bseed[ _]?\d{3}|\bseed's\b|\bthe seed\b|DESIGN\.md", re.IGNORECASE)


def output(argv):
    out = io.StringIO()
    main(argv, out)
    return out.getvalue()


@pytest.mark.parametrize("name", NAMES)
def test_a_scenario_file_and_its_published_table_name_the_source(name):
    text = output(["export", name]) + output(["check", name])
    assert not WORKING_NAME.findall(text)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_listings_and_extra_tables_name_the_source(lang):
    text = "".join(output(["--lang", lang, *argv]) for argv in (
        ["list"], ["mistakes"], ["run", "broadcast_forward"], ["run", "numeric_gd"], ["run", "mazur"]))
    assert not WORKING_NAME.findall(text)


def test_mazurs_published_table_names_the_post():
    text = output(["run", "mazur"])
    assert "Mazur (2015), step 1" in text and "“A Step by Step Backpropagation Example” (2015" in text
    assert "https://mattmazur.com/2015/03/17/a-step-by-step-backpropagation-example/" in text


@pytest.mark.parametrize("name", NAMES)
def test_a_scenario_names_its_sources_in_latin_letters(name):
    """Its title is above every picture (plot: a font without CJK draws boxes) and its description in
    every LaTeX document: a Chinese source is named by its title in English."""
    assert not re.search(r"[\u3000-\u9fff]", output(["export", name]))
