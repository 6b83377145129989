"""`pharmadeals serve` on the command line: a taken port or a bad option is a one-line usage error (exit 2),
and the app it starts answers over real HTTP (httpx against the subprocess)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import webkit
from suitekit import make_settings

from pharmadeals.pipeline.run import open_storage

CONFIG = "database:\n  url: sqlite:///pd.db\nlogging:\n  file: null\narchive:\n  enabled: false\n"


def _serve(folder: Path, *args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PHARMADEALS_CONFIG", "PHARMADEALS_SERVE_TOKEN")}
    return subprocess.Popen([sys.executable, "-m", "pharmadeals.pipeline.cli", "serve", *args], cwd=folder, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_taken_port_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(CONFIG, encoding="utf-8")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        process = _serve(tmp_path, "--port", str(taken.getsockname()[1]))
        _, err = process.communicate(timeout=120)
    assert process.returncode == 2
    assert "error: cannot listen on 127.0.0.1:" in err and "pick another --port" in err
    assert not (tmp_path / "pd.db").exists()  # refused before the database was opened


def test_a_bad_port_is_a_usage_error(tmp_path: Path) -> None:
    process = _serve(tmp_path, "--port", "70000")
    _, err = process.communicate(timeout=120)
    assert process.returncode == 2 and "--port" in err


def test_serve_answers_over_http_with_a_token_beyond_the_loopback(tmp_path: Path) -> None:
    webkit.build(open_storage(make_settings(tmp_path)))
    (tmp_path / "config.yaml").write_text(CONFIG + "serve:\n  token: ${PHARMADEALS_SERVE_TOKEN:-}\n", encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = _serve(tmp_path, "--host", "0.0.0.0", "--port", str(port))
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
                break
            except httpx.TransportError:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        assert page.status_code == 200 and "Log in to review" in page.text  # no token given: read-only there
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    assert "without a token: the app is read-only there" in err
