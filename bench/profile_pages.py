"""Where a page's time goes: render public pages in-process with the server's settings and profile them.

    .venv/bin/pip install pyinstrument   # a development tool, not in requirements
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/galeri_bench .venv/bin/python bench/profile_pages.py [name ...]

Each page is requested once to warm the caches, then ``BENCH_PROFILE_REQUESTS`` times (default 30) under
pyinstrument; the page cache is off (PAGE_CACHE_SECONDS=0) unless the environment says otherwise, so this
profiles what a miss costs with the count, facet and fragment caches warm. Prints the mean time per request
and pyinstrument's tree; with ``BENCH_PROFILE_HTML=dir`` also writes one HTML profile per page. Arguments are
page names (``"IKM page"``) or paths (``/ikm/?sector=kuliner``); ``BENCH_PROFILE=0`` only times them, without
the profiler's overhead.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "galeri.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/galeri_bench")
os.environ.setdefault("PAGE_CACHE_SECONDS", "0")
from run import SERVER_ENV  # noqa: E402

for name, value in SERVER_ENV.items():
    os.environ.setdefault(name, value)
os.environ["QUERY_COUNT_HEADER"] = "1"

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from pyinstrument import Profiler  # noqa: E402


def urls() -> list[tuple[str, str]]:
    from catalog.models import Category, Product
    from exhibitions.models import Event
    from ikm.models import IKM

    product = Product.objects.published().order_by("-view_count", "pk").first()
    ikm = IKM.objects.public().order_by("pk").first()
    event = Event.objects.published().order_by("-starts_at").first()
    category = Category.objects.filter(parent__isnull=True).order_by("position").first()
    return [
        ("home", "/"),
        ("catalog", "/produk/"),
        ("catalog category", f"/produk/?category={category.slug}"),
        ("search rare", "/produk/?q=luwak"),
        ("product page", product.get_absolute_url()),
        ("IKM directory", "/ikm/"),
        ("IKM page", ikm.get_absolute_url()),
        ("events", "/acara/"),
        ("event page", event.get_absolute_url()),
    ]


def main() -> None:
    wanted = {arg for arg in sys.argv[1:] if not arg.startswith("/")}
    paths = [(arg, arg) for arg in sys.argv[1:] if arg.startswith("/")]
    requests = int(os.environ.get("BENCH_PROFILE_REQUESTS", "30"))
    html_dir = os.environ.get("BENCH_PROFILE_HTML")
    client = Client(HTTP_HOST="127.0.0.1")
    pages = [(name, path) for name, path in urls() if not wanted or name in wanted] if wanted or not paths else []
    for name, path in pages + paths:
        first = client.get(path)
        queries_cold = first.headers.get("X-Query-Count")
        client.get(path)
        if os.environ.get("BENCH_PROFILE") == "0":  # just the time, without the profiler's overhead
            started = time.perf_counter()
            for _ in range(requests):
                response = client.get(path)
            elapsed = (time.perf_counter() - started) / requests
            print(f"{name}: {elapsed * 1000:.1f} ms per request, status {response.status_code}")
            continue
        profiler = Profiler(interval=0.0005)
        started = time.perf_counter()
        with profiler:
            for _ in range(requests):
                response = client.get(path)
        elapsed = (time.perf_counter() - started) / requests
        print(
            f"\n=== {name} {path}: {elapsed * 1000:.1f} ms per request, status {response.status_code}, "
            f"queries {queries_cold} cold / {response.headers.get('X-Query-Count')} warm, "
            f"{len(response.content) / 1024:.1f} KB"
        )
        print(profiler.output_text(unicode=True, color=False, show_all=False, short_mode=True))
        if html_dir:
            Path(html_dir).mkdir(parents=True, exist_ok=True)
            (Path(html_dir) / f"{name.replace(' ', '-')}.html").write_text(profiler.output_html())


if __name__ == "__main__":
    main()
