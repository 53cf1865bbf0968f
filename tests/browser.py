"""A real browser for the page's tests: headless Chromium driven through Selenium (the test extra),
with Debian's `chromium` and `chromium-driver` (.ci/run installs them where it can). Where either is
missing the browser tests skip and say why; every other test runs. NEUROSIM_CHROMIUM and
NEUROSIM_CHROMEDRIVER name other ones.

Chromium runs as root here, offline: no sandbox, no GPU, no QUIC, no first-run, no background
networking, no component updates, no sync, and a fresh profile each time.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile

import pytest

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1400,1000")


def _found(*names: str) -> str | None:
    """The first of `names` (a command, or a path) that can be run here."""
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    return None


def chromium_paths() -> tuple[str, str] | str:
    """(browser, driver), or the reason there is none."""
    browser = _found(os.environ.get("NEUROSIM_CHROMIUM") or "chromium", "chromium-browser", "google-chrome")
    driver = _found(os.environ.get("NEUROSIM_CHROMEDRIVER") or "chromedriver")
    if browser is None or driver is None:
        missing = " and ".join(n for n, p in (("chromium", browser), ("chromedriver", driver)) if p is None)
        return f"no {missing} on this machine (apt-get install chromium chromium-driver)"
    return browser, driver


def start_chromium():
    """A headless Chromium under Selenium, or pytest.skip with the reason there is none."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium is not installed (pip install '.[test]')")
    found = chromium_paths()
    if isinstance(found, str):
        pytest.skip(found)
    browser, driver = found
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="neurosim-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    chrome = webdriver.Chrome(service=Service(driver), options=options)
    chrome.profile_directory = profile
    return chrome


def stop_chromium(chrome) -> None:
    chrome.quit()
    shutil.rmtree(chrome.profile_directory, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    chrome = start_chromium()
    yield chrome
    stop_chromium(chrome)


def run_script(scripts: list[str], body: str, *args):
    """`body` (a function body reading `arguments`, returning JSON-able data) run after the `scripts`
    in headless Chromium if it is here, else in Node.js; None if neither is."""
    if not isinstance(chromium_paths(), str):
        chrome = start_chromium()
        try:
            chrome.get("about:blank")
            return chrome.execute_script("\n".join(scripts) + "\n" + body, *args)
        finally:
            stop_chromium(chrome)
    node = shutil.which("node")
    if node is None:
        return None
    program = ("\n".join(scripts) + "\nconst input = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
               + "\nconsole.log(JSON.stringify((function () {" + body + "}).apply(null, input)));")
    result = subprocess.run([node, "-e", program], input=json.dumps(list(args)), capture_output=True, text=True,
                            check=True)
    return json.loads(result.stdout)
