"""Regenerate docs/trends.png and the README's sample outputs from the report fixture database.

Usage: .venv/bin/python docs/examples.py [OUT_DIR]   (prints each command and its output)
The database is built from tests/fixtures/report_corpus with the hand-checked mentions of tests/reportkit.py.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = (
    "report trends",
    "report trends --scope mainland --exclude biosimilar --period year --format csv",
    "report breakdown --by licensee --top 3",
    "review",
    "correct 5 milestones=1525000000USD --reviewer alice --reason checked",
    "correct 5 \"milestones=1525000000 USD\" --reviewer alice --reason \"HKEX announcement\"",
    "review --deal 5",
)


def build(folder: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    import reportkit
    from conftest import make_settings

    from pharmadeals.pipeline.run import open_storage

    reportkit.build(open_storage(make_settings(folder)))
    (folder / "config.yaml").write_text(f"database:\n  url: sqlite:///{folder / 'pd.db'}\nlogging:\n  file: null\n",
                                        encoding="utf-8")


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="pd-examples-"))
    build(folder)
    env = {**os.environ, "COLUMNS": "118", "PHARMADEALS_CONFIG": str(folder / "config.yaml")}
    chart = ROOT / "docs" / "trends.png"
    subprocess.run([sys.executable, "-m", "pharmadeals.pipeline.cli", "report", "trends", "--scope", "china", "--plot", str(chart)],
                   check=True, env=env, capture_output=True)
    for command in COMMANDS:
        print(f"$ pharmadeals {command}")
        result = subprocess.run(f"{sys.executable} -m pharmadeals.pipeline.cli {command}", shell=True, env=env, cwd=ROOT,
                                capture_output=True, text=True, check=False)
        print(result.stdout + result.stderr)
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
