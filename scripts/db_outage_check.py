"""`make outage-check`: stop PostgreSQL under a running Galeri and prove it answers 503, then recovers alone.

1. Prepares a small demo database (OUTAGE_DATABASE_URL, default galeri_outage on the local server) and starts
   gunicorn with `make serve`'s production-like settings (DEBUG off, whitenoise, the connection pool).
2. Before: every page answers 200 and /healthz 200, several rounds so that each worker holds pooled connections.
3. Outage: stops the machine's PostgreSQL cluster (`pg_ctlcluster --skip-systemctl-redirect <version> main stop`).
   Every page must answer a friendly 503 with Retry-After, /healthz 503, quickly, and never 500.
4. Starts PostgreSQL again and waits for the same gunicorn workers (same PIDs, no restart) to answer 200 again.

PostgreSQL is always started again (a `finally` block), and the outage lasts only seconds: this stops the
machine's shared cluster, so run it by hand, never from the test suite. Prints a report; exits 1 when an
expectation failed. Environment: OUTAGE_DATABASE_URL, OUTAGE_PORT (8791), OUTAGE_WORKERS (2),
PG_CLUSTER ("<version> main", found in /etc/postgresql when there is one).
"""

import http.client
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support import PROD_ENV, PYTHON, ROOT, database_exists, database_name, manage, pg_args, pg_env, psql  # noqa: E402

DATABASE_URL = os.environ.get("OUTAGE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/galeri_outage")
PORT = int(os.environ.get("OUTAGE_PORT", "8791"))
WORKERS = int(os.environ.get("OUTAGE_WORKERS", "2"))
ROUNDS = 3 * WORKERS  # requests per page per phase: enough that every worker answers some
RECOVERY_DEADLINE = 30.0  # seconds after PostgreSQL is back
OUTAGE_SAMPLE = ("/", "/en/produk/", "/healthz")  # plus one product page
SLOW = 5.0  # an answer during the outage slower than this fails (a load balancer would give up)


# Rehearsals: a throwaway server (initdb'd data directory) instead of the machine's cluster, stopped and started
# with pg_ctl as the directory's owner. Its port must match OUTAGE_DATABASE_URL.
PGDATA = os.environ.get("OUTAGE_PGDATA", "")


def cluster() -> list[str]:
    if os.environ.get("PG_CLUSTER"):
        return os.environ["PG_CLUSTER"].split()
    versions = sorted(os.listdir("/etc/postgresql"))
    if len(versions) != 1:
        sys.exit(f"Set PG_CLUSTER='<version> <name>': /etc/postgresql has {versions}")
    return [versions[0], "main"]


def pg_ctl(action: str) -> subprocess.CompletedProcess:
    if PGDATA:
        data = Path(PGDATA)
        binary = Path("/usr/lib/postgresql") / data.joinpath("PG_VERSION").read_text().strip() / "bin" / "pg_ctl"
        port = urlsplit(DATABASE_URL).port or 5432
        extra = (
            ["-l", str(data.parent / "server.log"), "-o", f"-p {port} -k {data.parent}"] if action == "start" else []
        )
        command = [str(binary), "-D", str(data), "-w", "-m", "fast", *extra, action]
        if os.geteuid() == 0:
            command = ["runuser", "-u", data.owner(), "--", *command]
        return subprocess.run(command, capture_output=True, text=True)
    return subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", *cluster(), action], capture_output=True, text=True
    )


def server_name() -> str:
    return f"the throwaway server in {PGDATA}" if PGDATA else f"the cluster {' '.join(cluster())}"


def pg_running() -> bool:
    return pg_ctl("status").returncode == 0


@dataclass
class Answer:
    path: str
    status: int  # 0: no HTTP answer at all (connection reset, timeout)
    seconds: float
    retry_after: str = ""
    body: str = ""


def get(path: str, timeout: float = 60.0) -> Answer:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Accept-Language": "id"})
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        return Answer(
            path, response.status, time.perf_counter() - started, response.getheader("Retry-After") or "", body
        )
    except OSError as error:
        return Answer(path, 0, time.perf_counter() - started, body=repr(error))
    finally:
        connection.close()


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def say(self, line: str) -> None:
        print(line, flush=True)
        self.lines.append(line)

    def expect(self, ok: bool, what: str) -> None:
        if not ok:
            self.failures.append(what)
            self.say(f"  FAIL: {what}")


def prepare_database() -> list[str]:
    """A small demo gallery, once; returns the pages to check (with a real product, IKM and event)."""
    if not database_exists(DATABASE_URL):
        subprocess.run(
            ["createdb", *pg_args(DATABASE_URL), database_name(DATABASE_URL)], env=pg_env(DATABASE_URL), check=True
        )
    env = {"DATABASE_URL": DATABASE_URL}
    manage("migrate", "--noinput", "-v0", env=env)
    manage("seed_demo", "--products", "40", "--ikm", "12", "--events", "4", "--if-empty", env=env, capture=True)
    product = psql(DATABASE_URL, "SELECT slug FROM catalog_product WHERE status = 'published' ORDER BY id LIMIT 1")
    ikm = psql(DATABASE_URL, "SELECT slug FROM ikm_ikm WHERE status = 'verified' AND NOT is_suspended LIMIT 1")
    event = psql(DATABASE_URL, "SELECT slug FROM exhibitions_event WHERE status = 'published' LIMIT 1")
    return [
        "/",
        "/produk/",
        f"/produk/{product}/",
        "/ikm/",
        f"/ikm/{ikm}/",
        "/acara/",
        f"/acara/{event}/",
        "/en/produk/",
    ]


def start_server(log: Path) -> subprocess.Popen:
    env = {**os.environ, **PROD_ENV, "DATABASE_URL": DATABASE_URL}
    manage("collectstatic", "--noinput", "-v0", env={**PROD_ENV, "DATABASE_URL": DATABASE_URL})
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "galeri.wsgi", "--bind", f"127.0.0.1:{PORT}"]
        + ["--workers", str(WORKERS), "--log-level", "info", "--error-logfile", str(log)],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=log.open("a", encoding="utf-8"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if get("/healthz", timeout=2).status == 200:
            return server
        time.sleep(0.2)
    os.killpg(server.pid, signal.SIGTERM)
    sys.exit(f"gunicorn did not start; see {log}")


def worker_pids(server: subprocess.Popen) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout
    return sorted(int(pid) for pid in out.split())


def summarise(report: Report, phase: str, answers: list[Answer]) -> None:
    by_path: dict[str, list[Answer]] = {}
    for answer in answers:
        by_path.setdefault(answer.path, []).append(answer)
    report.say(f"\n{phase}")
    report.say("| page | answers | statuses | max ms |")
    report.say("|---|---|---|---|")
    for path, group in by_path.items():
        statuses = ", ".join(f"{s}×{sum(a.status == s for a in group)}" for s in sorted({a.status for a in group}))
        report.say(f"| `{path}` | {len(group)} | {statuses} | {max(a.seconds for a in group) * 1000:.0f} |")


def outage_phase(report: Report, paths: list[str]) -> float:
    """Stop PostgreSQL, check the answers, start it again whatever happens; return the outage's length."""
    report.say(f"\nStopping PostgreSQL ({server_name()}) ...")
    started = time.monotonic()
    try:
        stop = pg_ctl("stop")
        report.expect(stop.returncode == 0, f"pg_ctlcluster stop: {stop.stderr.strip()}")
        stopped_in = time.monotonic() - started
        # The machine's shared cluster: a few pages, one request each, as many at once as there are workers,
        # so the outage lasts seconds. A throwaway server: every page, several rounds.
        sample = [p for p in paths if p in OUTAGE_SAMPLE or (p.startswith("/produk/") and p != "/produk/")]
        asked = paths * (ROUNDS // 2) if PGDATA else sample
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            during = list(pool.map(lambda path: get(path, timeout=SLOW * 2), asked))
    finally:
        if not pg_running():
            start = pg_ctl("start")
            if start.returncode != 0:
                print(f"pg_ctlcluster start FAILED: {start.stderr}", file=sys.stderr)
    length = time.monotonic() - started
    summarise(report, f"During the outage (PostgreSQL stopped in {stopped_in:.1f} s)", during)
    pages_during = [a for a in during if a.path != "/healthz"]
    health_during = [a for a in during if a.path == "/healthz"]
    report.expect(not any(a.status == 500 for a in during), "no 500 during the outage")
    report.expect(all(a.status == 503 for a in pages_during), "every page answers 503 during the outage")
    report.expect(all(a.retry_after for a in pages_during), "every 503 page carries Retry-After")
    report.expect(
        all("error-code" in a.body and "<html" in a.body for a in pages_during), "the 503 is the friendly page"
    )
    report.expect(bool(health_during) and all(a.status == 503 for a in health_during), "/healthz answers 503")
    report.expect(all(a.seconds <= SLOW for a in during), f"every answer within {SLOW:.0f} s")
    return length


def recovery_phase(report: Report, paths: list[str], outage: float) -> None:
    report.say(f"\nPostgreSQL started again; the outage lasted {outage:.1f} s")
    back = time.monotonic()
    first_ok: dict[str, float] = {}
    errors_after: list[Answer] = []
    while len(first_ok) < len(paths) and time.monotonic() - back < RECOVERY_DEADLINE:
        for path in paths:
            if path in first_ok:
                continue
            answer = get(path, timeout=10)
            if answer.status == 200:
                first_ok[path] = time.monotonic() - back
            else:
                errors_after.append(answer)
        time.sleep(0.1)
    after = [get(path) for _ in range(ROUNDS) for path in paths]
    summarise(report, "After PostgreSQL is back", after)
    slowest = max(first_ok.values(), default=float("nan"))
    statuses = ", ".join(sorted({str(a.status) for a in errors_after})) or "none"
    report.say(
        f"\nEvery page answered 200 again {slowest:.2f} s after PostgreSQL was back "
        f"({len(errors_after)} non-200 answers on the way: {statuses})."
    )
    report.expect(len(first_ok) == len(paths), "every page recovers within the deadline")
    report.expect(all(a.status == 200 for a in after), "every page answers 200 after the outage")
    report.expect(not any(a.status == 500 for a in errors_after), "no 500 while recovering")


def main() -> int:
    report = Report()
    log = ROOT / "var" / "outage-check-gunicorn.log"
    log.parent.mkdir(exist_ok=True)
    log.write_text("", encoding="utf-8")
    if not pg_running():
        sys.exit("PostgreSQL is not running: start it first (pg_ctlcluster ... start).")
    pages = prepare_database()
    paths = [*pages, "/healthz"]
    server = start_server(log)
    try:
        report.say(f"Galeri under gunicorn ({WORKERS} sync workers, DEBUG=0) on {DATABASE_URL.split('@')[-1]}")
        before = [get(path) for _ in range(ROUNDS) for path in paths]
        summarise(report, "Before the outage", before)
        report.expect(all(a.status == 200 for a in before), "every page answers 200 before the outage")
        pids = worker_pids(server)
        outage = outage_phase(report, paths)
        recovery_phase(report, paths, outage)
        same = worker_pids(server) == pids and server.poll() is None
        report.say(f"Workers before and after: {pids} → {worker_pids(server)} (no restart: {same}).")
        report.expect(same, "the same gunicorn workers recovered without a restart")
        log_text = log.read_text(encoding="utf-8")
        report.expect("WORKER TIMEOUT" not in log_text, "no worker timed out (see var/outage-check-gunicorn.log)")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    report.say("\nResult: " + ("PASS" if not report.failures else f"FAIL ({len(report.failures)})"))
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
