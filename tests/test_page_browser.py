"""The page in a real browser (headless Chromium through Selenium, tests/browser.py): click a weight
and read its panel, follow a factor link and come back, move with the keyboard, open a teacher's
link straight to one quantity, write a right, a truncated and a wrong value in practice mode and
read the verdicts, keep them over a reload, save them as the CSV `neurosim grade` grades, switch to
Chinese, and use a 784-64-10 page. Mazur's figures are the published ones (DESIGN.md §6)."""

from __future__ import annotations

import io
import math
import time

import pytest

from neurosim.check.grading import grade_class
from neurosim.cli.main import main
from neurosim.files.answers import parse_answers
from neurosim.views.grade_report import RIGHT, WRONG

from .browser import browser  # noqa: F401  (the fixture)
from .test_elide import exercise, toml

pytest.importorskip("selenium")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """Mazur's page, its practice page, a hand-rounding practice page and a 784-64-10 page, on disk."""
    directory = tmp_path_factory.mktemp("pages")
    big = directory / "big.toml"
    big.write_text(toml(exercise([784, 64, 10])))
    for name, argv in (("mazur", ["mazur"]), ("mazur-practice", ["mazur", "--practice"]),
                       ("round3", ["mazur", "--practice", "--round", "3"]), ("big", [str(big)])):
        assert main(["page", *argv, "-o", str(directory / f"{name}.html")], io.StringIO()) == 0
    return directory


def open_page(browser, path, fragment: str = ""):  # noqa: F811
    browser.get(path.as_uri() + fragment)
    browser.execute_script("localStorage.clear()")
    browser.get("about:blank")
    browser.get(path.as_uri() + fragment)


def panel(browser) -> str:  # noqa: F811
    return browser.find_element(By.ID, "panel").text


def wait_for(condition, timeout: float = 5.0):
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError("the page did not get there")
        time.sleep(0.05)


def click_panel(browser, name: str) -> None:  # noqa: F811
    """Click the drawing's element that opens the panel `name` (as a mouse does: on its visible part)."""
    element = browser.find_element(By.CSS_SELECTOR, f'svg g[data-panel="{name}"]')
    target = element.find_elements(By.CSS_SELECTOR, "circle, rect, line.edge")[-1]
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", target)


def test_click_a_weight_and_read_its_chain(browser, pages):  # noqa: F811
    open_page(browser, pages / "mazur.html")
    click_panel(browser, "w1")
    wait_for(lambda: browser.execute_script("return location.hash") == "#w1")
    text = panel(browser)
    assert text.startswith("Weight w1")
    assert "= 0.036350306·0.241300709·0.05 = 0.000438568" in text  # dE/dw1, Mazur's
    assert "0.15 − 0.5·0.000438568 = 0.149780716" in text  # w1+


def test_follow_a_factor_link_and_come_back(browser, pages):  # noqa: F811
    open_page(browser, pages / "mazur.html", "#dE/dw1")
    assert "= 0.000438568" in panel(browser)
    browser.find_element(By.CSS_SELECTOR, '#panel .eq a[data-q="dE/dout_h1"]').click()
    wait_for(lambda: "0.036350306" in panel(browser).split("\n")[1])
    text = panel(browser)
    assert "= 0.055399425 + (−0.019049118) = 0.036350306" in text  # what o1 and o2 send back
    links = [a.get_attribute("data-q") for a in browser.find_elements(By.CSS_SELECTOR, "#panel .eq.current a")]
    assert links == ["dE/dout_h1", "dE_o1/dout_h1", "dE_o2/dout_h1"]
    browser.find_element(By.CSS_SELECTOR, '#panel .eq a[data-q="dE_o1/dout_h1"]').click()
    wait_for(lambda: "0.138498562·0.4 = 0.055399425" in panel(browser))
    browser.back()
    wait_for(lambda: browser.execute_script("return location.hash") == "#dE/dout_h1")
    wait_for(lambda: "= 0.036350306" in panel(browser))
    browser.back()
    wait_for(lambda: "= 0.000438568" in panel(browser))
    browser.forward()
    wait_for(lambda: "= 0.036350306" in panel(browser))


def test_a_teachers_link_opens_one_quantity(browser, pages):  # noqa: F811
    open_page(browser, pages / "mazur.html", "#w1+")
    text = panel(browser)
    assert "= 0.149780716" in text and "Part of: Weight w1" in text


def test_the_keyboard_reaches_every_weight(browser, pages):  # noqa: F811
    open_page(browser, pages / "mazur.html")
    body = browser.find_element(By.TAG_NAME, "body")
    for _ in range(60):
        body.send_keys(Keys.TAB) if browser.switch_to.active_element.tag_name == "body" else \
            browser.switch_to.active_element.send_keys(Keys.TAB)
        if browser.switch_to.active_element.get_attribute("data-panel") == "w5":
            break
    assert browser.switch_to.active_element.get_attribute("data-panel") == "w5"
    assert panel(browser).startswith("Weight w5") and "= 0.35891648" in panel(browser)  # focus shows it
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    wait_for(lambda: browser.execute_script("return location.hash") == "#w5")


def write(browser, name: str, value: str) -> str:  # noqa: F811
    """Type `value` for `name` in the practice list; the verdict shown beside it."""
    field = browser.find_element(By.CSS_SELECTOR, f'#practice-list input[data-id="{name}"]')
    field.clear()
    field.send_keys(value, Keys.ENTER)
    return browser.find_element(By.CSS_SELECTOR, f'#practice-list tr[data-id="{name}"] td.verdict').text


def test_practice_judges_right_truncated_and_wrong_values(browser, pages, tmp_path):  # noqa: F811
    open_page(browser, pages / "mazur-practice.html")
    assert "0.593269992" not in browser.find_element(By.TAG_NAME, "body").text  # the values are hidden
    assert write(browser, "net_h1", "0.3775") == "correct to 4 decimals"
    assert write(browser, "out_h1", "0.59326") == "correct, but the last digit truncated instead of rounded"
    assert write(browser, "net_h2", "0.3926") == "wrong from the 4th decimal on"  # 0.3925
    assert write(browser, "out_h2", "-0.596884") == "wrong sign (the digits are right)"
    assert write(browser, "net_o1", "1,1059") == "correct to 4 decimals"  # a decimal comma
    assert browser.find_element(By.ID, "progress").text == "3 of 64 values right, 5 written."
    click_panel(browser, "neuron:h1")
    wait_for(lambda: "0.59326" in panel(browser))
    browser.refresh()  # remembered in the browser
    assert browser.find_element(By.CSS_SELECTOR, 'input[data-id="net_h2"]').get_attribute("value") == "0.3926"
    csv = browser.execute_script("return NeurosimPage.answersCsv()")
    assert csv.splitlines()[0] == "student,variant,net_h1,out_h1,net_h2,out_h2,net_o1"
    variants = tmp_path / "variants"
    variants.mkdir()
    out = io.StringIO()
    assert main(["export", "mazur"], out) == 0
    (variants / "mazur.toml").write_text(out.getvalue())
    report = grade_class(parse_answers(csv, "answers.csv"), variants)
    assert [m.state for m in report.students[0].marks] == [RIGHT, RIGHT, WRONG, WRONG, RIGHT]


def test_a_slip_carried_on_follows_from_it(browser, pages):  # noqa: F811
    """net_h2 = 0.3926 (0.3925 is right) is the first wrong line; out_h2 worked from it is wrong too, but
    follows from it (check/follow.py's follow-through, in the page)."""
    open_page(browser, pages / "mazur-practice.html")
    write(browser, "net_h1", "0.3775")
    assert write(browser, "net_h2", "0.3926") == "wrong from the 4th decimal on"
    theirs = f"{1 / (1 + math.exp(-0.3926)):.6f}"  # 0.596908, where 0.596884 is right
    assert write(browser, "out_h2", theirs) == "wrong from the 5th decimal on"

    def follow(name: str) -> str:
        return browser.find_element(By.CSS_SELECTOR, f'#practice-list tr[data-id="{name}"] td.follow').text
    assert (follow("net_h1"), follow("net_h2"), follow("out_h2")) == (
        "", "your first wrong line", "follows from your net_h2")
    assert write(browser, "out_h2", "0.5969") == "correct to 4 decimals" and follow("out_h2") == ""
    click_panel(browser, "neuron:h2")
    wait_for(lambda: "your first wrong line" in panel(browser))


def test_hand_rounding_judges_k_decimals_as_written_down(browser, pages):  # noqa: F811
    """--round 3: out_h1 written with 3 decimals is judged against the rounded value carried on, with
    more decimals against the formula's result before it was rounded (as `check` does)."""
    open_page(browser, pages / "round3.html")
    assert write(browser, "net_h1", "0.378") == "correct to 3 decimals"  # 0.0075 + 0.02 + 0.35 kept as 0.378
    assert write(browser, "net_h1", "0.3775") == "correct to 4 decimals"


def test_switch_to_chinese(browser, pages):  # noqa: F811
    open_page(browser, pages / "mazur-practice.html", "#neuron:h1")
    write(browser, "net_h2", "0.3926")
    Select(browser.find_element(By.ID, "language")).select_by_value("zh")
    wait_for(lambda: browser.execute_script("return document.documentElement.lang") == "zh")
    assert panel(browser).startswith("神经元 h1")
    assert browser.find_element(By.CSS_SELECTOR, 'tr[data-id="net_h2"] td.verdict').text == "从小数点后第 4 位起出错"
    assert "你的值" in browser.find_element(By.ID, "practice").text
    Select(browser.find_element(By.ID, "language")).select_by_value("en")
    wait_for(lambda: panel(browser).startswith("Neuron h1"))


def test_a_784_64_10_page_is_usable(browser, pages):  # noqa: F811
    open_page(browser, pages / "big.html")
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg g.group")) == 3
    click_panel(browser, "neuron:h1")
    wait_for(lambda: panel(browser).startswith("Neuron h1"))
    assert "(785 terms)" in panel(browser)
    browser.find_element(By.CSS_SELECTOR, '#panel a[data-q="w784"]').click()
    wait_for(lambda: panel(browser).startswith("Weight w784"))
