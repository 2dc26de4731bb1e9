"""`make screenshots`: PNGs of every key page at 375 px (a phone) and 1280 px (a laptop), in Indonesian and
English, into docs/screenshots/, from `make serve` with the demo data, through Debian's Chromium.

Each picture is the top of the page down to at most MAX_HEIGHT pixels (a phone's whole catalog page
would be metres long), taken once every picture in it has loaded, then optimised with Pillow. Names:
``<language>-<page>-<width>.png``. Options: --port (default 8767), --only NAME.
"""

import argparse
import os
import re
import shutil
import sys
from io import BytesIO
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from serve_demo import demo_server, fetch, public_pages  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"]
WIDTHS = {375: 2200, 1280: 1800}  # width → the most height kept
LANGUAGES = ["id", "en"]
# The demo accounts (ikm/demo.py).
DEMO_PASSWORD = "demo-galeri-2026"
OWNER = "pemilik@demo.galeri.test"
STAFF = "staf@demo.galeri.test"


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def key_pages(base: str) -> list[tuple[str, str, str | None]]:
    """(name, Indonesian path, who is logged in) for every key page."""
    pages = [(slugify(name), path, None) for name, path in public_pages(base).items()]
    pages += [
        ("login", "/akun/login/", None),
        ("sign-up", "/akun/signup/", None),
        ("owner-dashboard", "/dasbor/", OWNER),
        ("product-form", None, OWNER),  # the owner's first product: found once logged in
        ("moderation-queues", "/admin/", STAFF),
        ("moderation-new-products", "/admin/catalog/product/?queue=new", STAFF),
    ]
    return pages


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/akun/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form[action*='login'] button[type=submit]")
    page.wait_for_load_state("load")
    if "/akun/login/" in page.url:
        raise RuntimeError(f"could not log in as {email}")


def first_product_form(page: Page, base: str) -> str:
    page.goto(base + "/dasbor/produk/")
    href = page.eval_on_selector("a[href*='/ubah/']", "a => a.getAttribute('href')")
    return href


def shoot(page: Page, url: str, width: int, out: Path) -> int:
    """Load, wait for every picture, keep the top of the page, optimise; returns the file's size."""
    page.goto(url, wait_until="load")
    height = min(page.evaluate("document.documentElement.scrollHeight"), WIDTHS[width])
    # Scroll through the part kept, so lazy pictures in it load, then back to the top.
    step = page.viewport_size["height"]
    for y in range(0, height, step):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(100)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_function(
        f"Array.from(document.images).filter(img => img.getBoundingClientRect().top < {height})"
        ".every(img => img.complete && img.naturalWidth > 0)",
        timeout=15_000,
    )
    png = page.screenshot(clip={"x": 0, "y": 0, "width": width, "height": height}, full_page=True)
    image = Image.open(BytesIO(png)).convert("RGB")
    # 256 colours keep text and flat colours exact and photos recognisable, at a third of the size.
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.FLOYDSTEINBERG)
    image.save(out, optimize=True)
    return out.stat().st_size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("SCREENSHOTS_PORT", "8767")))
    parser.add_argument("--only", help="only this page (e.g. home, product, owner-dashboard)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    total = count = 0
    with demo_server("screenshots", args.port) as base, sync_playwright() as playwright:
        fetch(base + "/")  # warm the caches once
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pages = key_pages(base)
        if args.only:
            pages = [entry for entry in pages if entry[0] == args.only]
        for width, max_height in WIDTHS.items():
            phone = width < 600
            for account in (None, OWNER, STAFF):
                context = browser.new_context(
                    viewport={"width": width, "height": min(max_height, 900 if not phone else 812)},
                    device_scale_factor=1,
                    is_mobile=phone,
                    has_touch=phone,
                    locale="id-ID",
                )
                page = context.new_page()
                if account:
                    log_in(page, base, account)
                for name, path, who in pages:
                    if who != account:
                        continue
                    if path is None:
                        path = first_product_form(page, base)
                    for language in LANGUAGES:
                        prefix = "" if language == "id" else "/en"
                        out = OUT / f"{language}-{name}-{width}.png"
                        size = shoot(page, base + prefix + path, width, out)
                        total += size
                        count += 1
                        print(f"{out.relative_to(ROOT)}  {size / 1024:.0f} KB")
                context.close()
        browser.close()
    print(f"{count} screenshots, {total / 1024 / 1024:.1f} MB in {OUT.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
