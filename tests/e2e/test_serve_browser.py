"""End to end in a real headless Chromium: `pharmadeals serve` as a subprocess over a fixture database;
review in the browser, then check deal_summary through `pharmadeals query` in another subprocess.

The run saves docs/serve-queue.png and docs/serve-deal.png, the screenshots the README shows.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import webkit
from suitekit import make_settings

from pharmadeals.pipeline.run import open_storage

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                                reason="needs Chromium and its driver (apt-get install chromium chromium-driver)")
DOCS = Path(__file__).resolve().parents[2] / "docs"
CONFIG = "database:\n  url: sqlite:///pd.db\nlogging:\n  file: null\narchive:\n  enabled: false\n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("PHARMADEALS_CONFIG", "PHARMADEALS_SERVE_TOKEN")}


def query(folder: Path, sql: str) -> list[dict[str, object]]:
    """deal_summary as a SQL user sees it: the real CLI in a subprocess."""
    result = subprocess.run([sys.executable, "-m", "pharmadeals.pipeline.cli", "query", "--format", "json", sql],
                            cwd=folder, env=_env(), capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stdout))


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The fixture database in tmp_path/pd.db, served by the real CLI on a free port."""
    webkit.build(open_storage(make_settings(tmp_path)))
    (tmp_path / "config.yaml").write_text(CONFIG, encoding="utf-8")
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "pharmadeals.pipeline.cli", "serve", "--port", str(port)],
                               cwd=tmp_path, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, process.communicate()[0]
                assert time.monotonic() < deadline, "serve did not start within 60 s"
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1280,1500", "--lang=en-US"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.implicitly_wait(5)
    try:
        yield driver
    finally:
        driver.quit()


def _decide(driver, reviewer: str, reason: str, action: str, field: str = "", value: str = "") -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    form = driver.find_element(By.ID, "decide")
    form.find_element(By.NAME, "reviewer").clear()
    form.find_element(By.NAME, "reviewer").send_keys(reviewer)
    form.find_element(By.NAME, "reason").send_keys(reason)
    if field:
        Select(form.find_element(By.NAME, "field")).select_by_visible_text(field)
        form.find_element(By.NAME, "value").send_keys(value)
    form.find_element(By.CSS_SELECTOR, f"button[value='{action}']").click()


def test_review_in_the_browser(server: str, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(server + "/")
    cards = driver.find_elements(By.CSS_SELECTOR, ".deal")
    assert len(cards) == len(query(tmp_path, "SELECT deal_id FROM deal_summary"))
    assert driver.find_elements(By.CSS_SELECTOR, ".deal mark")
    confidences = [float(c.find_element(By.CSS_SELECTOR, ".conf").text) for c in cards]
    assert confidences == sorted(confidences)
    DOCS.mkdir(exist_ok=True)
    driver.save_screenshot(str(DOCS / "serve-queue.png"))

    (pfizer,) = query(tmp_path, "SELECT deal_id, upfront_usd FROM deal_summary WHERE licensee = 'Pfizer'")
    driver.find_element(By.CSS_SELECTOR, f"#deal-{pfizer['deal_id']} a.deal-link").click()
    assert driver.find_element(By.CSS_SELECTOR, "h1").text.startswith(f"Deal {pfizer['deal_id']}")
    marks = [m.text for m in driver.find_elements(By.CSS_SELECTOR, ".article mark")]
    assert "$1.25 billion" in marks
    driver.save_screenshot(str(DOCS / "serve-deal.png"))
    _decide(driver, "carol", "SEC 8-K", "correct", "upfront", "1300000000 USD")
    assert "upfront 1250000000 USD -> 1300000000 USD" in driver.find_element(By.ID, "done").text
    assert "carol" in driver.find_element(By.ID, "history").text
    assert query(tmp_path, f"SELECT upfront_usd FROM deal_summary WHERE deal_id = {pfizer['deal_id']}") == [
        {"upfront_usd": 1300000000.0}]

    (takeda,) = query(tmp_path, "SELECT deal_id FROM deal_summary WHERE licensee = 'Takeda Pharmaceutical'")
    driver.get(f"{server}/deals/{takeda['deal_id']}")
    _decide(driver, "carol", "not a licence", "reject")
    assert driver.find_element(By.ID, "status").text.startswith("rejected")
    assert query(tmp_path, f"SELECT deal_id FROM deal_summary WHERE deal_id = {takeda['deal_id']}") == []


def test_a_script_in_an_article_title_stays_inert(server: str, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    driver = browser
    (takeda,) = query(tmp_path, "SELECT deal_id FROM deal_summary WHERE licensee = 'Takeda Pharmaceutical'")
    for path in ("/", f"/deals/{takeda['deal_id']}"):
        driver.get(server + path)
        assert "pwned" not in driver.title
        assert driver.execute_script("return document.querySelectorAll('main script, main img').length") == 0
        links = [a.text for a in driver.find_elements(By.CSS_SELECTOR, ".article a")]
        assert webkit.HOSTILE_TITLE in links
        assert webkit.HOSTILE_MARKUP in driver.find_element(By.TAG_NAME, "main").text
