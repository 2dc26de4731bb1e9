"""`make serve` on a spare port with its own demo database, for `make audit` and `make screenshots`.

The server gets its own VAR_DIR (SQLite database and media under var/<name>/), so the demo data is
always the same and a developer's own database is never touched. Stopped (the whole process group)
when the ``with`` block ends.
"""

import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def demo_server(name: str, port: int, *, workers: int = 2) -> Iterator[str]:
    """Yield the base URL of `make serve` answering on 127.0.0.1:``port`` with the demo data."""
    var_dir = ROOT / "var" / name
    var_dir.mkdir(parents=True, exist_ok=True)
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "VAR_DIR": str(var_dir),
        "SITE_URL": base,  # canonical, hreflang and share URLs point at this server
        "WEB_CONCURRENCY": str(workers),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)  # the server's own SQLite demo database, whatever the shell says
    log = (var_dir / "serve.log").open("w")
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve", "HOST=127.0.0.1", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped as one below
    )
    try:
        _wait_for(base + "/healthz", server, var_dir / "serve.log")
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def _wait_for(url: str, server: subprocess.Popen, log_path: Path, timeout: float = 300) -> None:
    """Until the health check answers (the first run migrates and seeds the demo: about 30 s)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"`make serve` stopped (exit {server.returncode}); see {log_path}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(1)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s; see {log_path}")


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def first_link(base: str, listing: str, prefix: str) -> str:
    """The first link under ``prefix`` (e.g. /produk/) on a listing page: a real slug from the demo data."""
    html = fetch(base + listing)
    for href in re.findall(r'href="(/[^"?#]+/)"', html):
        if href.startswith(prefix) and href != prefix and href.count("/") == prefix.count("/") + 1:
            return href
    raise RuntimeError(f"no {prefix}<slug>/ link on {listing}")


def public_pages(base: str) -> dict[str, str]:
    """The seven public pages of issue #10, with real slugs: name → path."""
    return {
        "home": "/",
        "products (filtered)": "/produk/?category=kopi&availability=ready",
        "product": first_link(base, "/produk/?category=kopi", "/produk/"),
        "IKM directory": "/ikm/",
        "IKM profile": first_link(base, "/ikm/", "/ikm/"),
        "events": "/acara/",
        "event": richest_event(base),
    }


def richest_event(base: str) -> str:
    """The first exhibition whose page lists exhibitors (with their products, the heaviest kind of event
    page), else the first event."""
    html = fetch(base + "/acara/?kind=pameran")
    candidates = dict.fromkeys(re.findall(r'href="(/acara/[^"/?#]+/)"', html))
    for path in candidates:
        if "exhibitor-card" in fetch(base + path):
            return path
    return first_link(base, "/acara/", "/acara/")
