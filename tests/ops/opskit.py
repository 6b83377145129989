"""Helpers for the operations tests: generated deal pages, a local news site, the CLI as a process, DB snapshots."""
from __future__ import annotations

import json
import os
import resource
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[2]
# Real company names the registry knows; the deals themselves are invented for the tests.
LICENSORS = ("Jiangsu Hengrui Pharmaceuticals", "Hansoh Pharmaceutical", "Innovent Biologics", "Akeso",
             "Sichuan Kelun-Biotech", "Duality Biologics", "RemeGen", "Simcere Pharmaceutical",
             "Shanghai Junshi Biosciences", "Haisco Pharmaceutical Group", "InnoCare Pharma", "Zai Lab")
LICENSEES = ("Pfizer", "GSK", "AstraZeneca", "Novartis", "Sanofi", "AbbVie", "Eli Lilly", "Novo Nordisk",
             "Takeda", "Amgen", "Gilead Sciences", "Bayer", "Merck KGaA")
FIRST_DAY = date(2016, 1, 1)
DAYS = 3600  # pages are dated over ten years from FIRST_DAY, then dates repeat
NO_DEAL_EVERY = 5     # every 5th page is market commentary without a deal
SECOND_REPORT_EVERY = 7  # every 7th deal is reported again by a second article with the same facts


def deal_facts(i: int) -> dict[str, object]:
    """The invented facts of deal number i (pairs, asset and figures vary with i)."""
    return {"licensor": LICENSORS[i % len(LICENSORS)], "licensee": LICENSEES[(i // len(LICENSORS)) % len(LICENSEES)],
            "asset": f"PDX-{1000 + i}", "upfront": 5 * (i % 40 + 1), "milestones": 100 * (i % 25 + 1),
            "day": FIRST_DAY + timedelta(days=i % DAYS)}


def deal_text(i: int, second: bool = False) -> tuple[str, str]:
    f = deal_facts(i)
    if second:
        title = f"{f['licensee']} pays {f['licensor']} for rights to {f['asset']}"
        body = (f"{f['licensee']} has secured exclusive worldwide rights to {f['asset']}, a bispecific antibody "
                f"discovered by {f['licensor']}, in a licence agreement. {f['licensor']} receives "
                f"${f['upfront']} million upfront and may earn up to ${f['milestones']} million in milestone "
                f"payments, plus tiered royalties on sales.")
    else:
        title = f"{f['licensor']} licenses {f['asset']} to {f['licensee']}"
        body = (f"{f['licensor']} announced an exclusive license agreement granting {f['licensee']} global rights "
                f"to develop and commercialise {f['asset']}. Under the agreement, {f['licensor']} will receive "
                f"an upfront payment of ${f['upfront']} million and is eligible for up to ${f['milestones']} million "
                f"in development and commercial milestones, plus tiered royalties.")
    return title, body


def commentary_text(i: int) -> tuple[str, str]:
    title = f"Market note {i}: biotech indices move"
    body = (f"Shares of drug developers moved by {i % 9 + 1} percent in trading on day {i}. Analysts said the "
            f"sector was waiting for interest-rate news and quarterly results, and no company announced a new "
            f"partnership in the session numbered {i}.")
    return title, body


def page_html(title: str, body: str) -> str:
    return (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>{escape(title)}</title></head><body>"
            f"<nav>Home | News | Deals</nav><article><h1>{escape(title)}</h1><p>{escape(body)}</p>"
            f"<p>The companies did not disclose further terms.</p></article><footer>Example News</footer>"
            f"</body></html>")


def pages(n: int) -> list[dict[str, object]]:
    """n article pages: url path, title, html and publication day (deals, second reports, commentary)."""
    out: list[dict[str, object]] = []
    i = 0
    while len(out) < n:
        day = FIRST_DAY + timedelta(days=i % DAYS)  # stays in the past however many pages
        if i % NO_DEAL_EVERY == NO_DEAL_EVERY - 1:
            title, body = commentary_text(i)
        else:
            title, body = deal_text(i)
        out.append({"path": f"/news/{i:05d}.html", "title": title, "html": page_html(title, body), "day": day})
        if i % SECOND_REPORT_EVERY == 0 and i % NO_DEAL_EVERY != NO_DEAL_EVERY - 1 and len(out) < n:
            title, body = deal_text(i, second=True)
            out.append({"path": f"/wire/{i:05d}.html", "title": title, "html": page_html(title, body), "day": day})
        i += 1
    return out


def write_files(folder: Path, items: list[dict[str, object]], base: str = "https://news.example.org") -> Path:
    """Save pages as .html files with sidecars (url, title, published) for a `files` source."""
    folder.mkdir(parents=True, exist_ok=True)
    for item in items:
        stem = str(item["path"]).strip("/").replace("/", "-").removesuffix(".html")
        (folder / f"{stem}.html").write_text(str(item["html"]), encoding="utf-8")
        (folder / f"{stem}.json").write_text(json.dumps({"url": base + str(item["path"]), "title": item["title"],
                                                         "published": str(item["day"])}), encoding="utf-8")
    return folder


def rss(items: list[dict[str, object]], base: str) -> bytes:
    entries = "".join(
        f"<item><title>{escape(str(it['title']))}</title><link>{base}{it['path']}</link>"
        f"<guid>{base}{it['path']}</guid><pubDate>"
        f"{format_datetime(datetime.combine(it['day'], datetime.min.time(), UTC))}</pubDate></item>"  # type: ignore[arg-type]
        for it in items)
    return (f"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Example deals</title>"
            f"<link>{base}/</link><description>test feed</description>{entries}</channel></rss>").encode()


class NewsSite:
    """A real HTTP server on 127.0.0.1 serving generated pages and an RSS feed of them at /feed.xml."""

    def __init__(self, items: list[dict[str, object]]) -> None:
        self.items = items
        self.routes: dict[str, tuple[str, bytes]] = {}
        self.hits = 0
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                site.hits += 1
                found = site.routes.get(self.path.split("?")[0])
                if found is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                ctype, body = found
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        for it in items:
            self.routes[str(it["path"])] = ("text/html; charset=utf-8", str(it["html"]).encode())
        self.routes["/feed.xml"] = ("application/rss+xml", rss(items, self.base))
        self.routes["/robots.txt"] = ("text/plain", b"User-agent: *\nAllow: /\n")
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> NewsSite:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def feed_config(folder: Path, db: Path, feed_url: str, max_items: int = 5000) -> Path:
    """A config with one feed source on the local site, no politeness delay, no archive."""
    text = (f"database: {{url: 'sqlite:///{db}'}}\narchive: {{enabled: false}}\n"
            f"fetch: {{per_host_delay: 0, per_host_concurrency: 8, concurrency: 8, max_retries: 0, timeout: 10}}\n"
            f"logging: {{file: '{folder / 'run.log.jsonl'}'}}\n"
            f"sources:\n  - {{name: localnews, type: feed, url: '{feed_url}', max_items: {max_items}}}\n")
    path = folder / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def files_config(folder: Path, db: Path, pages_dir: Path, extra: str = "") -> Path:
    text = (f"database: {{url: 'sqlite:///{db}'}}\narchive: {{enabled: false}}\n"
            f"logging: {{file: '{folder / 'run.log.jsonl'}'}}\n"
            f"sources:\n  - {{name: saved, type: files, path: '{pages_dir}', max_items: 100000}}\n{extra}")
    path = folder / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def cli_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PHARMADEALS_CONFIG"}
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(extra or {})
    return env


def cli(*args: str, cwd: Path, timeout: float = 600, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    """Run the real CLI to completion in a subprocess."""
    return subprocess.run([sys.executable, "-m", "pharmadeals.pipeline.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env=cli_env(env), timeout=timeout)


def start_cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """Start the real CLI and return at once (for killing it mid-run)."""
    return subprocess.Popen([sys.executable, "-m", "pharmadeals.pipeline.cli", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=cli_env(env))


def count(db: Path, table: str, where: str = "") -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table} {where}").fetchone()[0]


# What a database holds, by natural keys (ids, timestamps and run numbers differ between runs by design).
SNAPSHOT_SQL = {
    "articles": "SELECT url, content_hash, title, published_on, language, kind, text FROM articles",
    "companies": "SELECT registry_id, name, country, needs_review FROM companies",
    "deals": """SELECT d.announced_on, lc.name, le.name, d.direction, d.deal_type, d.territory, d.assets,
                       d.royalties, d.currency, d.confidence, d.status
                FROM deals d LEFT JOIN companies lc ON lc.id = d.licensor_id
                LEFT JOIN companies le ON le.id = d.licensee_id""",
    "deal_amounts": """SELECT d.assets, a.kind, a.value_text, a.currency, a.usd_value, a.support, a.conflict
                       FROM deal_amounts a JOIN deals d ON d.id = a.deal_id""",
    "deal_mentions": """SELECT ar.url, m.ordinal, d.assets, m.licensor_mention, m.licensee_mention, m.payload,
                               m.evidence, m.confidence, m.event
                        FROM deal_mentions m JOIN articles ar ON ar.id = m.article_id
                        JOIN deals d ON d.id = m.deal_id""",
    "mention_amounts": """SELECT ar.url, m.ordinal, x.kind, x.value_text, x.currency, x.usd_value, x.span
                          FROM mention_amounts x JOIN deal_mentions m ON m.id = x.mention_id
                          JOIN articles ar ON ar.id = m.article_id""",
}


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's content by natural keys, as sorted lists (duplicates would show up twice)."""
    with sqlite3.connect(db) as conn:
        return {name: sorted((tuple(row) for row in conn.execute(sql)), key=repr) for name, sql in SNAPSHOT_SQL.items()}


def table_bytes(db: Path, table: str) -> list[tuple[object, ...]]:
    """All columns of a table, ids included, for byte-for-byte 'nothing changed' checks."""
    with sqlite3.connect(db) as conn:
        return [tuple(r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY 1")]


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure_ingest(config: Path, cwd: Path, db: Path, every: float = 2.0) -> dict[str, object]:
    """Run `pharmadeals ingest` as a child, sampling (seconds, articles stored, RSS kB) every `every` seconds.

    Peak RSS is sampled from /proc and also taken from the kernel's accounting of waited-for children
    (resource.getrusage(RUSAGE_CHILDREN).ru_maxrss: the largest child so far, so run one size per process)."""
    # output goes to files: a long run logs more than a pipe holds, and an unread pipe would stall it
    with open(cwd / "ingest.out", "w+") as out_file, open(cwd / "ingest.err", "w+") as err_file:
        proc = subprocess.Popen([sys.executable, "-m", "pharmadeals.pipeline.cli", "ingest", "--config", str(config)], cwd=cwd,
                                stdout=out_file, stderr=err_file, text=True, env=cli_env())
        started = time.monotonic()
        samples = _sample(proc, db, every, started)
        proc.wait()
        out_file.seek(0)
        err_file.seek(0)
        out, err = out_file.read(), err_file.read()
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"exit": proc.returncode, "stdout": out, "stderr": err, "seconds": time.monotonic() - started,
            "samples": samples, "peak_rss_kb_children": peak_kb,
            "peak_rss_kb_sampled": max((s[2] for s in samples), default=0)}


def _sample(proc: subprocess.Popen[str], db: Path, every: float, started: float) -> list[tuple[float, int, int]]:
    samples: list[tuple[float, int, int]] = []
    while proc.poll() is None:
        time.sleep(every)
        try:
            stored = count(db, "articles") if db.exists() else 0
        except sqlite3.Error:
            stored = samples[-1][1] if samples else 0
        samples.append((round(time.monotonic() - started, 2), stored, _rss_kb(proc.pid)))
    return samples


def rate_between(samples: list[tuple[float, int, int]], lo: float, hi: float) -> float:
    """Articles per second between two fractions of the final article count (0.1..0.5 etc.)."""
    total = samples[-1][1] if samples else 0
    inside = [s for s in samples if lo * total <= s[1] <= hi * total]
    if len(inside) < 2 or inside[-1][0] == inside[0][0]:
        return 0.0
    return (inside[-1][1] - inside[0][1]) / (inside[-1][0] - inside[0][0])
