"""A small asyncio HTTP/1.1 load generator: N keep-alive clients hammer one URL (or cycle through several)
for a fixed time.

Kept dependency-free (no locust) so it runs from the project's venv in a separate process and its
own cost is tiny next to the server's. Sanity check printed with every run: Little's law,
concurrency ≈ throughput × mean latency.
"""

import asyncio
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class LoadResult:
    url: str
    clients: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    bytes_received: int = 0
    by_path: dict[str, list[float]] = field(default_factory=dict)  # several pages: each one's latencies
    page_cache: dict[str, int] = field(default_factory=dict)  # X-Page-Cache: hit/miss counts
    unique_counter: int = 0

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float, latencies: list[float] | None = None) -> float:
        latencies = self.latencies if latencies is None else latencies
        if not latencies:
            return float("nan")
        ordered = sorted(latencies)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index]

    @property
    def mean(self) -> float:
        return statistics.fmean(self.latencies) if self.latencies else float("nan")

    @property
    def littles_law_concurrency(self) -> float:
        """Should be close to `clients` when the measurement is sane."""
        return self.throughput * self.mean


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, int, bool, str]:
    """Status, body bytes, whether the server keeps the connection open (gunicorn's sync workers don't),
    and the X-Page-Cache header (hit or miss; the server sends it in benchmarks)."""
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed")
    status = int(status_line.split()[1])
    length = None
    chunked = False
    keep_alive = True
    page_cache = ""
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value.strip())
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
        elif name == "connection" and "close" in value.lower():
            keep_alive = False
        elif name == "x-page-cache":
            page_cache = value.strip()
    received = 0
    if chunked:
        while True:
            size = int((await reader.readline()).strip(), 16)
            if size == 0:
                await reader.readline()
                break
            received += len(await reader.readexactly(size))
            await reader.readline()
    elif length is not None:
        received = len(await reader.readexactly(length))
    return status, received, keep_alive, page_cache


async def _client(
    paths: list[str],
    offset: int,
    host: str,
    port: int,
    deadline: float,
    result: LoadResult,
    headers: dict[str, str],
    unique: bool,
) -> None:
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    reader = writer = None
    sent = 0
    while time.perf_counter() < deadline:
        path = paths[(offset + sent) % len(paths)]
        sent += 1
        if unique:  # a parameter no page knows: every request misses the page cache (bench/run.py)
            result.unique_counter += 1
            path += f"{'&' if '?' in path else '?'}bench-miss={result.unique_counter}"
        request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: keep-alive\r\n{extra}\r\n".encode()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            started = time.perf_counter()
            writer.write(request)
            await writer.drain()
            status, size, keep_alive, page_cache = await asyncio.wait_for(_read_response(reader), timeout=30)
            elapsed = time.perf_counter() - started
            result.latencies.append(elapsed)
            if len(paths) > 1:
                result.by_path.setdefault(paths[(offset + sent - 1) % len(paths)], []).append(elapsed)
            result.statuses[status] = result.statuses.get(status, 0) + 1
            if page_cache:
                result.page_cache[page_cache] = result.page_cache.get(page_cache, 0) + 1
            result.bytes_received += size
            if status >= 400:
                result.errors += 1
            if not keep_alive:  # reconnecting is part of the cost, but not an error
                writer.close()
                reader = writer = None
        except (TimeoutError, ConnectionError, asyncio.IncompleteReadError, OSError):
            result.errors += 1
            if writer is not None:
                writer.close()
            reader = writer = None
            await asyncio.sleep(0.01)
    if writer is not None:
        writer.close()


async def run_load(
    url: str | list[str],
    *,
    clients: int,
    seconds: float,
    headers: dict[str, str] | None = None,
    unique: bool = False,
) -> LoadResult:
    """Load one URL, or several on the same server (each client cycles through them from its own start)."""
    urls = [url] if isinstance(url, str) else list(url)
    parts = urlsplit(urls[0])
    host = parts.hostname or "127.0.0.1"
    port = parts.port or 80
    paths = [urlsplit(u).path + (f"?{urlsplit(u).query}" if urlsplit(u).query else "") for u in urls]
    result = LoadResult(url=urls[0] if len(urls) == 1 else f"{len(urls)} pages", clients=clients, seconds=seconds)
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(
        *(
            _client(paths, i * len(paths) // clients, host, port, deadline, result, headers or {}, unique)
            for i in range(clients)
        )
    )
    result.seconds = time.perf_counter() - started
    return result


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=5)
    args = parser.parse_args()
    r = asyncio.run(run_load(args.url, clients=args.clients, seconds=args.seconds))
    print(
        f"{r.requests} requests, {r.throughput:.1f}/s, p50 {r.percentile(50) * 1000:.1f} ms, "
        f"p95 {r.percentile(95) * 1000:.1f} ms, p99 {r.percentile(99) * 1000:.1f} ms, errors {r.errors}, "
        f"Little's law concurrency {r.littles_law_concurrency:.2f} (clients {r.clients})"
    )
