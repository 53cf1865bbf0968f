"""The README's picture of a page, as headless Chromium shows it (selenium, from the test extra):

    neurosim page mazur -o /tmp/mazur.html
    python tools/page_screenshot.py /tmp/mazur.html docs/page-mazur.png --fragment w1
    python tools/page_screenshot.py /tmp/mazur.html docs/page-mazur-zh.png --fragment w1 --lang zh

The picture is the page's heading, its drawing and the panel the fragment opens (a Chinese one needs
a CJK font, e.g. Debian's fonts-noto-cjk).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import start_chromium, stop_chromium  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--fragment", default="", help="the panel to open, e.g. w1")
    parser.add_argument("--lang", help="switch the page to this language first")
    parser.add_argument("--width", type=int, default=1340)
    args = parser.parse_args()
    chrome = start_chromium()
    try:
        chrome.set_window_size(args.width, 1400)
        chrome.get(args.page.resolve().as_uri() + (f"#{args.fragment}" if args.fragment else ""))
        if args.lang:
            chrome.execute_script("NeurosimPage.selectLanguage(arguments[0])", args.lang)
        time.sleep(0.5)
        bottom = chrome.execute_script("const r = document.getElementById('figure').getBoundingClientRect();"
                                       "return Math.ceil(r.bottom + window.scrollY + 16);")
        chrome.set_window_size(args.width, bottom + (chrome.get_window_size()["height"]
                                                     - chrome.execute_script("return window.innerHeight")))
        time.sleep(0.3)
        chrome.save_screenshot(str(args.png))
    finally:
        stop_chromium(chrome)


if __name__ == "__main__":
    main()
