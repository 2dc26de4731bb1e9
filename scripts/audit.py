"""`make audit`: Lighthouse 12.2.3 (mobile preset) on the seven public pages of `make serve` with demo data.

Prints each page's four scores and exits 1 when one is below its floor (performance 95, accessibility,
best practices and SEO 100), listing the audits that cost points. Lighthouse is pinned in
audit/package.json and installed with `npm ci` into audit/node_modules (ignored by git).

Options: --runs N (default 3: each page N times, the median run by performance is kept, and the
spread is printed), --port (default 8766), --only NAME (one page), --english (the /en/ pages).
Reports: var/audit/reports/*.json.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from serve_demo import demo_server, public_pages  # noqa: E402

AUDIT_DIR = ROOT / "audit"
LIGHTHOUSE = AUDIT_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
REPORTS = ROOT / "var" / "audit" / "reports"
CHROME = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# The browser tests' flags (tests/browser/conftest.py), headless.
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
FLOORS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


def install_lighthouse() -> None:
    """`npm ci` when node_modules is missing or older than the lock file."""
    lock = AUDIT_DIR / "package-lock.json"
    marker = AUDIT_DIR / "node_modules" / ".package-lock.json"
    if LIGHTHOUSE.exists() and marker.exists() and marker.stat().st_mtime >= lock.stat().st_mtime:
        return
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=AUDIT_DIR, check=True)


def lighthouse(url: str, report: Path, attempts: int = 3) -> dict:
    """One Lighthouse run; returns the JSON report.

    On a busy machine Lighthouse sometimes fails to record the trace ("NO_NAVSTART", "please run
    Lighthouse again"): such a run is tried again, up to ``attempts`` times.
    """
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--output=json",
        f"--output-path={report}",
    ]
    for attempt in range(1, attempts + 1):
        done = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROME})
        data = json.loads(report.read_text()) if done.returncode == 0 and report.exists() else {}
        if data.get("categories") and not data.get("runtimeError"):
            return data
        print(f"  Lighthouse failed on {url} (attempt {attempt} of {attempts})", file=sys.stderr)
    raise RuntimeError(f"Lighthouse failed {attempts} times on {url}")


def scores(report: dict) -> dict[str, int]:
    return {name: round((report["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}


def lost_points(report: dict) -> list[str]:
    """The audits that cost points in a category below its floor (what to fix)."""
    lines = []
    for name in CATEGORIES:
        category = report["categories"][name]
        if round((category["score"] or 0) * 100) >= FLOORS[name]:
            continue
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                value = audit.get("displayValue", "")
                lines.append(f"    {name}: {ref['id']} ({audit['score']:.2f}) {audit['title']} {value}".rstrip())
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=int(os.environ.get("AUDIT_PORT", "8766")))
    parser.add_argument("--only", help="audit only this page (a name from the table)")
    parser.add_argument("--english", action="store_true", help="the English pages (/en/...)")
    args = parser.parse_args()

    install_lighthouse()
    REPORTS.mkdir(parents=True, exist_ok=True)
    rows, failures, notes = [], 0, []
    with demo_server("audit", args.port) as base:
        pages = public_pages(base)
        if args.only:
            pages = {args.only: pages[args.only]}
        if args.english:
            pages = {name: "/en" + path for name, path in pages.items()}
        for name, path in pages.items():
            runs = []
            for run in range(args.runs):
                slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
                report = lighthouse(base + path, REPORTS / f"{slug}-{run + 1}.json")
                runs.append((scores(report), report))
            runs.sort(key=lambda pair: pair[0]["performance"])
            median, report = runs[len(runs) // 2]
            spread = [r[0]["performance"] for r in runs]
            below = [c for c in CATEGORIES if median[c] < FLOORS[c]]
            failures += bool(below)
            rows.append((name, path, median, f"{min(spread)}–{max(spread)}" if len(spread) > 1 else ""))
            if below:
                notes.append(f"{name} ({path}):")
                notes.extend(lost_points(report))
            print(f"  {name}: {' '.join(f'{c}={median[c]}' for c in CATEGORIES)}", file=sys.stderr)

    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"\nLighthouse 12.2.3, mobile preset, median of {args.runs} run(s), {when}, {os.cpu_count()} CPU cores")
    header = f"| {'page':<20} | {'path':<62} | perf | a11y | best practices | SEO | perf spread |"
    print(header)
    print("|" + "|".join("-" * (len(cell) + 0) for cell in header.split("|")[1:-1]) + "|")
    for name, path, median, spread in rows:
        print(
            f"| {name:<20} | {path:<62} | {median['performance']:>4} | {median['accessibility']:>4} "
            f"| {median['best-practices']:>14} | {median['seo']:>3} | {spread:>11} |"
        )
    floors = ", ".join(f"{c} {v}" for c, v in FLOORS.items())
    if failures:
        print(f"\n{failures} page(s) below the floors ({floors}):")
        print("\n".join(notes))
        return 1
    print(f"\nEvery page meets the floors ({floors}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
