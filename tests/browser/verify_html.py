#!/usr/bin/env python3
"""Drives assets/verify.html in headless Chromium: one verdict per packet.

    python3 tests/browser/verify_html.py PAGE.html OUT_DIR PACKET.zip...

For each packet: opens PAGE via file:// in a fresh headless Debian Chromium (Selenium +
chromedriver, no network, a fresh profile), gives the ZIP to the page's file input, waits up
to 30 s for `document.body.dataset.verdict`, saves a full-page screenshot to
OUT_DIR/<packet basename>.png and prints one JSON line:

    {"packet": path, "verdict": "intact"|"not-intact"|"error"|"timeout", "findings": [...],
     "fingerprint": ..., "signature": ..., "entries": ..., "head": ...}

Exit 0 when it ran (comparing verdicts is the caller's job); 2 on bad usage or when the browser
cannot be started.
"""

import json
import os
import sys
import tempfile
import time

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
WAIT_SECONDS = 30


def browser(profile: str) -> webdriver.Chrome:
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--window-size=1280,900",
        "--lang=en-US",
    ):
        opts.add_argument(flag)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)


def full_page_screenshot(driver: webdriver.Chrome, path: str) -> None:
    """Captures the whole page, not just the window (Chrome DevTools' beyond-viewport capture)."""
    try:
        metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        width, height = int(size["width"]), int(size["height"])
        shot = driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
            },
        )
        import base64

        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
    except WebDriverException:
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1280, max(900, int(height)))
        driver.save_screenshot(path)


def check(driver: webdriver.Chrome, page_url: str, packet: str, out_dir: str) -> dict:
    driver.get(page_url)
    WebDriverWait(driver, WAIT_SECONDS).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )
    driver.find_element(By.ID, "zip-input").send_keys(os.path.abspath(packet))
    verdict = "timeout"
    try:
        verdict = WebDriverWait(driver, WAIT_SECONDS, poll_frequency=0.1).until(
            lambda d: d.execute_script("return document.body.dataset.verdict || null")
        )
    except TimeoutException:
        pass
    summary = {}
    raw = driver.execute_script("return document.getElementById('result-json').textContent")
    if raw:
        try:
            summary = json.loads(raw)
        except ValueError:
            summary = {}
    shot = os.path.join(out_dir, os.path.basename(packet) + ".png")
    full_page_screenshot(driver, shot)
    return {
        "packet": packet,
        "verdict": verdict,
        "findings": summary.get("findings", []),
        "fingerprint": summary.get("fingerprint"),
        "signature": summary.get("signature"),
        "entries": summary.get("entries"),
        "head": summary.get("head"),
        "screenshot": shot,
    }


def main(argv: list) -> int:
    if len(argv) < 4:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    page, out_dir, packets = argv[1], argv[2], argv[3:]
    os.makedirs(out_dir, exist_ok=True)
    page_url = "file://" + os.path.abspath(page)
    for packet in packets:
        # A fresh browser and profile per packet: nothing carries over from one check to the next.
        with tempfile.TemporaryDirectory(prefix="verify-html-") as profile:
            try:
                driver = browser(profile)
            except WebDriverException as e:
                print(f"cannot start Chromium: {e}", file=sys.stderr)
                return 2
            try:
                started = time.monotonic()
                result = check(driver, page_url, packet, out_dir)
                result["seconds"] = round(time.monotonic() - started, 2)
            except WebDriverException as e:
                result = {"packet": packet, "verdict": "driver-error", "findings": [str(e).splitlines()[0]], "fingerprint": None}
            finally:
                driver.quit()
        print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
