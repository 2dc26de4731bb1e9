"""`make bench`: seed 50,000 products, serve Galeri under gunicorn with production settings, load every
public page at 2 and 8 clients, and print one table of figures against the framework's floor.

Environment (docs/performance.md):
  BENCH_DB         postgres (default), sqlite, or both (one table each, PostgreSQL first)
  DATABASE_URL     the PostgreSQL database (default postgres://postgres@127.0.0.1:5432/galeri_bench)
  BENCH_SQLITE     the SQLite file (default var/bench.sqlite3), seeded once and reused
  REDIS_URL        the server's cache (default redis://127.0.0.1:6379/10; emptied at the start of each pass;
                   REDIS_URL= for the per-process local-memory cache)
  PAGE_CACHE_SECONDS  passed to the server (0: no whole-page cache)
  BENCH_SECONDS    seconds per page and concurrency (default 8); BENCH_CLIENTS (default 2,8)
  BENCH_MISSES     1 (default): also load each page at 8 clients with the page cache missed on every request
  SOAK             seconds: instead of the table, a soak across all pages at BENCH_SOAK_CLIENTS (16), and
                   3,149 more addresses of the long tail unless BENCH_SOAK_WIDE=0
  BENCH_WORKERS, BENCH_THREADS (gunicorn), BENCH_PORT (8765), BENCH_MEDIA_ROOT (uploads of the demo data)
  BENCH_PRODUCTS/BENCH_IKM/BENCH_EVENTS (50000/5000/300)
"""

import asyncio
import gzip
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from loadgen import LoadResult, run_load  # noqa: E402

PYTHON = sys.executable
PG_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/galeri_bench")
SQLITE_PATH = Path(os.environ.get("BENCH_SQLITE", str(ROOT / "var" / "bench.sqlite3")))
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/10")
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", "50000"))
IKM = int(os.environ.get("BENCH_IKM", "5000"))
EVENTS = int(os.environ.get("BENCH_EVENTS", "300"))
CLIENT_LEVELS = [int(c) for c in os.environ.get("BENCH_CLIENTS", "2,8").split(",")]
MISSES = os.environ.get("BENCH_MISSES", "1") == "1"
SOAK = float(os.environ.get("SOAK") or 0)
SOAK_CLIENTS = int(os.environ.get("BENCH_SOAK_CLIENTS", "16"))
MEDIA_ROOT = os.environ.get("BENCH_MEDIA_ROOT", str(ROOT / "var" / "bench-media"))
BASE = f"http://127.0.0.1:{PORT}"
TICK = os.sysconf("SC_CLK_TCK")

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


def pass_env(database_url: str) -> dict[str, str]:
    """The environment of this pass's commands and server: its database, the cache, the demo uploads."""
    return {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": REDIS_URL, "MEDIA_ROOT": MEDIA_ROOT}


def manage(env: dict[str, str], *args: str, capture: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True, capture_output=capture
    )


def ensure_database(env: dict[str, str]) -> None:
    url = env["DATABASE_URL"]
    if url.startswith("postgres"):
        name = url.rsplit("/", 1)[1].split("?")[0]
        exists = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        if exists != "1":
            subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    else:
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    manage(env, "migrate", "--noinput", "-v0")


def count_rows(env: dict[str, str]) -> dict[str, int]:
    out = manage(
        env,
        "shell",
        "-c",
        "from catalog.models import Product; from ikm.models import IKM; from exhibitions.models import Event;"
        "print(Product.objects.count(), IKM.objects.count(), Event.objects.count())",
        capture=True,
    ).stdout.split()
    return {"products": int(out[-3]), "ikm": int(out[-2]), "events": int(out[-1])}


def ensure_seeded(env: dict[str, str]) -> str:
    rows = count_rows(env)
    if rows["products"] >= PRODUCTS:
        if env["DATABASE_URL"].startswith("sqlite"):
            # seed_demo analyzes now; a file seeded before it did has no planner statistics.
            with sqlite3.connect(SQLITE_PATH) as db:
                if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
                    db.execute("ANALYZE")
        return f"reused: {rows['products']} products, {rows['ikm']} IKM, {rows['events']} events"
    if rows["products"]:
        sys.exit(f"The bench database has {rows['products']} products, fewer than {PRODUCTS}: drop it and re-run.")
    started = time.perf_counter()
    manage(env, "seed_demo", f"--products={PRODUCTS}", f"--ikm={IKM}", f"--events={EVENTS}", "--seed=2022")
    return f"seeded in {time.perf_counter() - started:.0f} s"


def pick_urls(env: dict[str, str]) -> list[tuple[str, str]]:
    out = manage(
        env,
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
        ("search rare (luwak)", "/produk/?q=luwak"),
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


SOAK_WORDS = [
    "kopi",
    "keripik",
    "tapis",
    "madu",
    "lada",
    "batik",
    "sambal",
    "dodol",
    "kemplang",
    "kain",
    "gula",
    "rotan",
    "tenun",
    "pisang",
    "seruit",
    "luwak",
    "tapiz",
    "robusta",
    "menjual",
    "kerajinan",
]


def soak_urls(env: dict[str, str], pages: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The bench's pages plus a wide spread of addresses, so part of the soak renders pages afresh.

    BENCH_SOAK_PRODUCTS product pages (default 2,000, a tenth of them in English too), 500 IKM pages, every
    published event, /produk/ pages 2-100, each top category's first two pages, 20 searches.
    """
    products = int(os.environ.get("BENCH_SOAK_PRODUCTS", "2000"))
    out = manage(
        env,
        "shell",
        "-c",
        "from catalog.models import Product, Category; from ikm.models import IKM;"
        "from exhibitions.models import Event;"
        f"n = Product.objects.published().count(); step = max(1, n // {products});"
        "print('P', *list(Product.objects.published().order_by('pk').values_list('slug', flat=True))[::step]"
        f"[:{products}]);"
        "print('I', *IKM.objects.public().order_by('pk').values_list('slug', flat=True)[:500]);"
        "print('E', *Event.objects.published().values_list('slug', flat=True));"
        "print('C', *Category.objects.filter(parent__isnull=True).values_list('slug', flat=True))",
        capture=True,
    ).stdout.splitlines()
    slugs = {line[0]: line.split()[1:] for line in out if line[:2] in ("P ", "I ", "E ", "C ")}
    urls = [(f"bench: {name}", path) for name, path in pages if name != "floor"]
    if os.environ.get("BENCH_SOAK_WIDE", "1") == "0":
        return urls
    urls += [("product pages", f"/produk/{slug}/") for slug in slugs.get("P", [])]
    urls += [("product pages", f"/en/produk/{slug}/") for slug in slugs.get("P", [])[::10]]
    urls += [("IKM pages", f"/ikm/{slug}/") for slug in slugs.get("I", [])]
    urls += [("event pages", f"/acara/{slug}/") for slug in slugs.get("E", [])]
    urls += [("catalog pages 2-100", f"/produk/?page={n}") for n in range(2, 101)]
    for slug in slugs.get("C", []):
        urls += [("categories", f"/produk/?category={slug}"), ("categories", f"/produk/?category={slug}&page=2")]
    urls += [("searches", f"/produk/?q={word}") for word in SOAK_WORDS]
    random.Random(2022).shuffle(urls)
    return urls


def flush_cache() -> None:
    """Start each pass with an empty cache DB, so the first request of each page is a cold one."""
    if REDIS_URL:
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()


def start_server(env: dict[str, str]) -> subprocess.Popen:
    env = {**env, **SERVER_ENV}
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
    """Queries per request (the first, cold request), HTML bytes raw and gzip."""
    try:
        with urllib.request.urlopen(BASE + path, timeout=60) as response:
            body = response.read()
            queries = int(response.headers.get("X-Query-Count", "-1"))
    except urllib.error.HTTPError as error:  # still measured under load; the errors column shows it
        body = error.read()
        queries = int(error.headers.get("X-Query-Count", "-1"))
    return queries, len(body), len(gzip.compress(body, 6))


def worker_pids(server: subprocess.Popen) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
    return [int(pid) for pid in out]


def worker_rss_mb(server: subprocess.Popen) -> list[float]:
    sizes = []
    for pid in worker_pids(server):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        except OSError:
            continue
    return sizes


# --- Who uses the CPU ----------------------------------------------------------------------------


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def _machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / TICK, sum(values) / TICK


def _pids_named(name: str) -> list[int]:
    out = subprocess.run(["pgrep", "-x", name], capture_output=True, text=True).stdout.split()
    return [int(pid) for pid in out]


def _database_pids(env: dict[str, str]) -> list[int]:
    """The PostgreSQL backends serving the bench database (the workers' pooled connections)."""
    url = env["DATABASE_URL"]
    if not url.startswith("postgres"):
        return []
    name = url.rsplit("/", 1)[1].split("?")[0]
    sql = f"SELECT pid FROM pg_stat_activity WHERE datname='{name}'"
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", sql],
        capture_output=True,
        text=True,
    ).stdout.split()
    return [int(pid) for pid in out]


@dataclass
class CpuSample:
    app: float
    database: float
    cache: float
    loadgen: float
    busy: float
    total: float


class CpuMeter:
    """CPU seconds used by the gunicorn workers, the bench database's backends, Redis and this load generator."""

    def __init__(self, server: subprocess.Popen, env: dict[str, str]) -> None:
        self.server = server
        self.env = env
        self.refresh()

    def refresh(self) -> None:
        self.app_pids = worker_pids(self.server)
        self.db_pids = _database_pids(self.env)
        self.cache_pids = _pids_named("redis-server")

    def sample(self) -> CpuSample:
        busy, total = _machine_busy()
        return CpuSample(
            app=sum(_cpu_seconds(pid) for pid in self.app_pids),
            database=sum(_cpu_seconds(pid) for pid in self.db_pids),
            cache=sum(_cpu_seconds(pid) for pid in self.cache_pids),
            loadgen=_cpu_seconds(os.getpid()),
            busy=busy,
            total=total,
        )


@dataclass
class Run:
    load: LoadResult
    cpu: dict[str, float]  # ms of CPU per request, and the machine's busy share


def measure(meter: CpuMeter, path: str | list[str], clients: int, seconds: float, unique: bool = False) -> Run:
    before = meter.sample()
    urls = BASE + path if isinstance(path, str) else [BASE + p for p in path]
    load = asyncio.run(run_load(urls, clients=clients, seconds=seconds, unique=unique))
    after = meter.sample()
    n = max(1, load.requests)
    cpu = {
        "app": (after.app - before.app) / n * 1000,
        "db": (after.database - before.database) / n * 1000,
        "cache": (after.cache - before.cache) / n * 1000,
        "loadgen": (after.loadgen - before.loadgen) / n * 1000,
        "busy": (after.busy - before.busy) / max(1e-9, after.total - before.total),
    }
    return Run(load, cpu)


# --- One pass: a database, a server, a table --------------------------------------------------------


def progress(run: Run) -> str:
    return f"{run.load.throughput:.0f}/s p95 {run.load.percentile(95) * 1000:.0f} ms"


def row(name: str, clients: int, run: Run, floor: float, facts: tuple[int, int, int] | None) -> str:
    r = run.load
    queries, raw, packed = facts if facts else ("", 0, 0)
    size = f"{raw / 1024:.1f} | {packed / 1024:.1f}" if facts else " | "
    return (
        f"| {name} | {clients} | {r.throughput:.0f} | {r.throughput / floor:.0%} | "
        f"{r.percentile(50) * 1000:.1f} | {r.percentile(95) * 1000:.1f} | {r.percentile(99) * 1000:.1f} | "
        f"{r.errors} | {queries} | {size} | {run.cpu['app']:.2f} | {run.cpu['db']:.2f} | {run.cpu['busy']:.0%} | "
        f"{r.littles_law_concurrency:.2f} |"
    )


def bench_pass(database: str) -> str:
    env = pass_env(PG_URL if database == "postgres" else f"sqlite:///{SQLITE_PATH}")
    where = env["DATABASE_URL"].split("@")[-1]
    print(f"Database: {where}; cache: {REDIS_URL or 'local memory per process'}", flush=True)
    ensure_database(env)
    seeding = ensure_seeded(env)
    print(f"Data: {seeding}", flush=True)
    urls = pick_urls(env)
    flush_cache()
    server = start_server(env)
    runs: dict[tuple[str, int], Run] = {}
    misses: dict[str, Run] = {}
    facts: dict[str, tuple[int, int, int]] = {}
    soak: Run | None = None
    soak_pages: list[tuple[str, str]] = []
    try:
        # Each worker opens its database connection first (django.contrib.postgres looks up type OIDs on a new
        # connection: 2 queries once per process), so the first request of each page counts only its own.
        asyncio.run(run_load(BASE + "/healthz", clients=8, seconds=1))
        for name, path in urls:
            facts[name] = page_facts(path)
            asyncio.run(run_load(BASE + path, clients=2, seconds=1))  # warm caches and workers
        meter = CpuMeter(server, env)
        if SOAK:
            soak_pages = soak_urls(env, urls)
            print(f"Soak: {len(soak_pages)} addresses, {SOAK_CLIENTS} clients, {SOAK:.0f} s", flush=True)
            soak = measure(meter, [path for _kind, path in soak_pages], SOAK_CLIENTS, SOAK)
        else:
            for name, path in urls:
                for clients in CLIENT_LEVELS:
                    runs[(name, clients)] = run = measure(meter, path, clients, SECONDS)
                    print(f"  {name} @{clients}: {progress(run)}", flush=True)
            if MISSES:
                for name, path in urls:
                    if name in ("floor", "sitemap"):
                        continue
                    misses[name] = run = measure(meter, path, 8, SECONDS, unique=True)
                    print(f"  {name} missed @8: {progress(run)}", flush=True)
        rss = worker_rss_mb(server)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    page_cache = os.environ.get("PAGE_CACHE_SECONDS", "300 (default with Redis; event pages 30)" if REDIS_URL else "0")
    lines = [
        f"# Galeri benchmark {datetime.now():%Y-%m-%d %H:%M}: {database}",
        "",
        f"{where}; {seeding}; cache {REDIS_URL or 'local memory'}, page cache {page_cache} s; gunicorn {WORKERS} "
        f"workers x {THREADS} threads; {os.cpu_count()} cores; load average before the pass "
        f"{os.getloadavg()[0]:.1f}.",
        "",
    ]
    if soak is not None:
        r = soak.load
        hits, misses_ = r.page_cache.get("hit", 0), r.page_cache.get("miss", 0)
        lines += [
            f"Soak: {SOAK:.0f} s, {SOAK_CLIENTS} clients cycling through {len(soak_pages)} addresses: "
            f"{r.requests} requests, {r.throughput:.0f}/s, errors {r.errors} (statuses {r.statuses}), "
            f"p50 {r.percentile(50) * 1000:.1f} ms, p95 {r.percentile(95) * 1000:.1f} ms, "
            f"p99 {r.percentile(99) * 1000:.1f} ms, max {max(r.latencies, default=0) * 1000:.1f} ms; "
            f"page cache {hits} hits, {misses_} misses ({hits / max(1, hits + misses_):.0%} hits); CPU per request: "
            f"app {soak.cpu['app']:.2f} ms, database {soak.cpu['db']:.2f} ms, Redis {soak.cpu['cache']:.2f} ms, "
            f"load generator {soak.cpu['loadgen']:.2f} ms; machine busy {soak.cpu['busy']:.0%}.",
            "",
            "| pages | addresses | requests | p50 ms | p95 ms | p99 ms | max ms |",
            "|---|---|---|---|---|---|---|",
        ]
        kinds: dict[str, list[str]] = {}
        for kind, path in soak_pages:
            kinds.setdefault(kind, []).append(path)
        for kind, paths in sorted(kinds.items()):
            latencies = [t for path in paths for t in r.by_path.get(path, [])]
            if latencies:
                lines.append(
                    f"| {kind} | {len(paths)} | {len(latencies)} | {r.percentile(50, latencies) * 1000:.1f} | "
                    f"{r.percentile(95, latencies) * 1000:.1f} | {r.percentile(99, latencies) * 1000:.1f} | "
                    f"{max(latencies) * 1000:.1f} |"
                )
    else:
        lines += [
            "| page | clients | req/s | ratio to floor | p50 ms | p95 ms | p99 ms | errors | queries (cold) | HTML KB "
            "| gzip KB | app CPU ms/req | DB CPU ms/req | machine busy | Little |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for name, _path in urls:
            for clients in CLIENT_LEVELS:
                floor = runs[("floor", clients)].load.throughput
                lines.append(row(name, clients, runs[(name, clients)], floor, facts[name]))
        if misses:
            floor = runs[("floor", 8)].load.throughput
            lines += [
                "",
                "Every request a page-cache miss (an unknown parameter on each address; counts, facets and card",
                "fragments stay cached), 8 clients:",
                "",
                "| page | clients | req/s | ratio to floor | p50 ms | p95 ms | p99 ms | errors | queries | HTML KB "
                "| gzip KB | app CPU ms/req | DB CPU ms/req | machine busy | Little |",
                "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
            ]
            for name, run in misses.items():
                lines.append(row(name, 8, run, floor, None))
    lines += ["", f"Worker RSS after the run (MB): {', '.join(f'{m:.0f}' for m in rss)}"]
    return "\n".join(lines)


def main() -> None:
    choice = os.environ.get("BENCH_DB", "postgres")
    databases = {"postgres": ["postgres"], "sqlite": ["sqlite"], "both": ["postgres", "sqlite"]}.get(choice)
    if databases is None:
        sys.exit(f"BENCH_DB={choice!r}: choose postgres, sqlite or both.")
    reports = [bench_pass(database) for database in databases]
    report = "\n\n".join(reports)
    print(report)
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(exist_ok=True)
    kind = "soak" if SOAK else "bench"
    (out_dir / f"{kind}-{choice}-{datetime.now():%Y%m%d-%H%M%S}.md").write_text(report + "\n")


if __name__ == "__main__":
    main()
