"""`make bench`: seed 50,000 products, serve Galeri under gunicorn with production settings, load every
public page at 2 and 8 clients, and print one table of figures against the framework's floor.

Environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/galeri_bench), BENCH_SECONDS per
page and concurrency (default 8), BENCH_PRODUCTS/BENCH_IKM/BENCH_EVENTS (50000/5000/300),
BENCH_WORKERS, BENCH_THREADS (gunicorn), BENCH_PORT (8765), REDIS_URL (used by the server when set).
"""

import asyncio
import gzip
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from loadgen import LoadResult, run_load  # noqa: E402

PYTHON = sys.executable
DATABASE_URL = os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/galeri_bench")
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", "50000"))
IKM = int(os.environ.get("BENCH_IKM", "5000"))
EVENTS = int(os.environ.get("BENCH_EVENTS", "300"))
CLIENT_LEVELS = [int(c) for c in os.environ.get("BENCH_CLIENTS", "2,8").split(",")]
BASE = f"http://127.0.0.1:{PORT}"

SERVER_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-not-used-anywhere-else-0123456789abcdef",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "MAILER": "console",
    "SERVE_MEDIA": "1",
    "BENCH_FLOOR": "1",
    "QUERY_COUNT_HEADER": "1",
    "LOG_LEVEL": "WARNING",
}


def manage(*args: str, env: dict[str, str] | None = None, capture: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        check=True,
        text=True,
        capture_output=capture,
    )


def ensure_database() -> None:
    if DATABASE_URL.startswith("postgres"):
        name = DATABASE_URL.rsplit("/", 1)[1].split("?")[0]
        exists = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        if exists != "1":
            subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    manage("migrate", "--noinput", "-v0")


def count_rows() -> dict[str, int]:
    out = manage(
        "shell",
        "-c",
        "from catalog.models import Product; from ikm.models import IKM; from exhibitions.models import Event;"
        "print(Product.objects.count(), IKM.objects.count(), Event.objects.count())",
        capture=True,
    ).stdout.split()
    return {"products": int(out[-3]), "ikm": int(out[-2]), "events": int(out[-1])}


def ensure_seeded() -> str:
    rows = count_rows()
    if rows["products"] >= PRODUCTS:
        return f"reused: {rows['products']} products, {rows['ikm']} IKM, {rows['events']} events"
    if rows["products"]:
        sys.exit(f"The bench database has {rows['products']} products, fewer than {PRODUCTS}: drop it and re-run.")
    started = time.perf_counter()
    manage("seed_demo", f"--products={PRODUCTS}", f"--ikm={IKM}", f"--events={EVENTS}", "--seed=2022")
    return f"seeded in {time.perf_counter() - started:.0f} s"


def pick_urls() -> list[tuple[str, str]]:
    out = manage(
        "shell",
        "-c",
        "from catalog.models import Product, Category; from ikm.models import IKM;"
        "from exhibitions.models import Event;"
        "p = Product.objects.published().order_by('-view_count', 'pk').first();"
        "i = IKM.objects.public().order_by('pk').first();"
        "e = Event.objects.published().order_by('-starts_at').first() if hasattr(Event.objects, 'published') else None;"
        "c = Category.objects.filter(parent__isnull=True).order_by('position').first();"
        "print(p.slug, i.slug, e.slug if e else '-', c.slug)",
        capture=True,
    ).stdout.split()
    product, ikm, event, category = out[-4:]
    urls = [
        ("floor", "/bench/floor/"),
        ("home", "/"),
        ("catalog", "/produk/"),
        ("catalog category", f"/produk/?category={category}"),
        ("catalog region", "/produk/?region=18.71"),
        ("catalog halal", "/produk/?certification=halal"),
        ("catalog price", "/produk/?min_price=20000&max_price=60000"),
        ("catalog page 1000", "/produk/?page=1000"),
        ("search common (kopi)", "/produk/?q=kopi"),
        ("search rare", "/produk/?q=lempok"),
        ("search inflected (menjual)", "/produk/?q=menjual"),
        ("search typo (kripik)", "/produk/?q=kripik"),
        ("product page", f"/produk/{product}/"),
        ("IKM directory", "/ikm/"),
        ("IKM page", f"/ikm/{ikm}/"),
        ("events", "/acara/"),
        ("sitemap", "/sitemap.xml"),
    ]
    if event != "-":
        urls.insert(-1, ("event page", f"/acara/{event}/"))
    return urls


def start_server() -> subprocess.Popen:
    env = {**os.environ, **SERVER_ENV}
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    worker_class = "gthread" if THREADS > 1 else "sync"
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "galeri.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            "--worker-class",
            worker_class,
            "--threads",
            str(THREADS),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(BASE + "/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("gunicorn did not start")


def page_facts(path: str) -> tuple[int, int, int]:
    """Queries per request, HTML bytes raw and gzip."""
    try:
        with urllib.request.urlopen(BASE + path, timeout=60) as response:
            body = response.read()
            queries = int(response.headers.get("X-Query-Count", "-1"))
    except urllib.error.HTTPError as error:  # still measured under load; the errors column shows it
        body = error.read()
        queries = int(error.headers.get("X-Query-Count", "-1"))
    return queries, len(body), len(gzip.compress(body, 6))


def worker_rss_mb(server: subprocess.Popen) -> list[float]:
    children = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
    sizes = []
    for pid in children:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        except OSError:
            continue
    return sizes


def main() -> None:
    print(f"Database: {DATABASE_URL.split('@')[-1]}")
    ensure_database()
    seeding = ensure_seeded()
    print(f"Data: {seeding}")
    urls = pick_urls()
    server = start_server()
    results: dict[tuple[str, int], LoadResult] = {}
    facts: dict[str, tuple[int, int, int]] = {}
    try:
        for name, path in urls:
            facts[name] = page_facts(path)
            asyncio.run(run_load(BASE + path, clients=2, seconds=1))  # warm caches and workers
        for name, path in urls:
            for clients in CLIENT_LEVELS:
                results[(name, clients)] = asyncio.run(run_load(BASE + path, clients=clients, seconds=SECONDS))
                r = results[(name, clients)]
                print(f"  {name} @{clients}: {r.throughput:.0f}/s p95 {r.percentile(95) * 1000:.0f} ms", flush=True)
        rss = worker_rss_mb(server)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    lines = [
        f"# Galeri benchmark {datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"{DATABASE_URL.split('@')[-1]}; {seeding}; gunicorn {WORKERS} workers x {THREADS} threads; "
        f"{SECONDS:.0f} s per page and concurrency; {os.cpu_count()} cores.",
        "",
        "| page | clients | req/s | ratio to floor | p50 ms | p95 ms | p99 ms | errors | queries | HTML KB | gzip KB"
        " | Little |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, _path in urls:
        for clients in CLIENT_LEVELS:
            r = results[(name, clients)]
            floor = results[("floor", clients)].throughput
            queries, raw, packed = facts[name]
            lines.append(
                f"| {name} | {clients} | {r.throughput:.0f} | {r.throughput / floor:.0%} | "
                f"{r.percentile(50) * 1000:.1f} | {r.percentile(95) * 1000:.1f} | {r.percentile(99) * 1000:.1f} | "
                f"{r.errors} | {queries} | {raw / 1024:.1f} | {packed / 1024:.1f} | {r.littles_law_concurrency:.2f} |"
            )
    lines += ["", f"Worker RSS after the run (MB): {', '.join(f'{m:.0f}' for m in rss)}"]
    report = "\n".join(lines)
    print(report)
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / f"bench-{datetime.now():%Y%m%d-%H%M%S}.md").write_text(report + "\n")


if __name__ == "__main__":
    main()
