"""Shared by the accessibility and keyboard browser tests: demo data, axe-core, focus rings, logging in.

axe-core is vendored (tests/browser/vendor/, see its README) and injected with ``page.evaluate``: that runs
through the DevTools protocol, which the page's Content-Security-Policy does not govern, so every page is
checked under its real policy. ``page.add_script_tag`` would not do: it adds an inline <script>, which the
site's CSP (script-src 'self' 'nonce-…') blocks; a ``bypass_csp`` context would work but would test the
pages under no policy at all.
"""

import io
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.test import Client
from playwright.sync_api import BrowserContext, Page

AXE_PATH = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_VERSION = "4.14.1"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and Deque's best practices (axe has no WCAG 2.2 level A rules).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING_IMPACTS = ("serious", "critical")

DEMO_OWNER_EMAIL = "pemilik@demo.galeri.test"  # galeri/demo.py's owner of a verified IKM


@dataclass(frozen=True)
class DemoSite:
    """A small demo gallery (``seed_demo``) and the pages worth checking in it."""

    owner: object
    product_slug: str  # published, with several photos and a certificate when the demo has one
    ikm_slug: str  # public: the product's maker
    event_slug: str  # with a programme
    filters: str  # a query string for /produk/ that applies several filters and still finds products


def seed_demo_site() -> DemoSite:
    """Seed a small but complete demo (about 6 s): every state the real demo shows, photos included."""
    from catalog.models import Product
    from exhibitions.models import Event

    call_command("seed_demo", products=16, ikm=4, events=3, seed=2022, stdout=io.StringIO())
    owner = get_user_model().objects.get(email=DEMO_OWNER_EMAIL)
    product = (
        Product.objects.published()
        .filter(ikm__owner=owner)
        .annotate(photo_count=Count("photos", distinct=True), cert_count=Count("certifications", distinct=True))
        .filter(photo_count__gte=2)
        .order_by("-cert_count", "-photo_count", "pk")
        .select_related("ikm", "category")
        .first()
    )
    assert product is not None, "the demo has no published product with two photos"
    event = Event.objects.annotate(items=Count("programme_items")).filter(items__gt=0).order_by("pk").first()
    assert event is not None, "the demo has no event with a programme"
    filters = f"?category={product.category.slug}&region={product.ikm.region_id}&sort=price_asc"
    return DemoSite(
        owner=owner, product_slug=product.slug, ikm_slug=product.ikm.slug, event_slug=event.slug, filters=filters
    )


def log_in(context: BrowserContext, base_url: str, user: object) -> None:
    """Give the browser context a session of ``user`` (the login form has its own tests)."""
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])


def submit_empty(page: Page, form_selector: str) -> None:
    """Submit a form as it is, past the browser's own checks, so the server's error messages show."""
    page.locator(form_selector).evaluate("form => { form.noValidate = true; }")
    with page.expect_navigation():
        page.locator(f"{form_selector} [type=submit]").last.click()


def run_axe(page: Page) -> dict:
    """Run axe-core on the page as it is now; returns axe's results (violations of every impact)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_PATH.read_text(encoding="utf-8"))
    return page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
            .then(r => ({version: r.testEngine.version, violations: r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                targets: v.nodes.map(n => n.target.join(' ')),
                summary: v.nodes.length ? v.nodes[0].failureSummary : ''}))}))""",
        AXE_TAGS,
    )


def blocking(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in BLOCKING_IMPACTS]


def describe(where: str, violations: list[dict]) -> str:
    """One readable paragraph per violation: where, impact, rule, what to do, which elements."""
    lines = []
    for v in violations:
        targets = ", ".join(v["targets"][:5]) + (f" (+{len(v['targets']) - 5} more)" if len(v["targets"]) > 5 else "")
        summary = " ".join(v["summary"].split())
        lines.append(
            f"{where}: [{v['impact']}] {v['id']}: {v['help']}\n    on: {targets}\n    {summary}\n    {v['helpUrl']}"
        )
    return "\n".join(lines)


# The focused element's ring: its outline (or box-shadow) and the contrast of its colour with the background
# it is drawn on (the nearest ancestor with an opaque background colour). WCAG 2.2 1.4.11 and 2.4.7.
FOCUS_RING_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const parse = c => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const lum = c => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== 'none';
  const ring = outline ? parse(style.outlineColor) : (shadow ? parse(style.boxShadow) : null);
  let background = null;
  for (let e = el.parentElement; e && !background; e = e.parentElement) {
    const c = parse(getComputedStyle(e).backgroundColor);
    if (c && c.a > 0.5) background = c;
  }
  background = background || {r: 255, g: 255, b: 255};
  let ratio = 0;
  if (ring) {
    const a = lum(ring), b = lum(background);
    ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  }
  const box = el.getBoundingClientRect();
  const label = (el.getAttribute('aria-label') || el.textContent || el.name || el.id || '').trim().slice(0, 40);
  return {
    element: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + label + '"',
    key: [el.tagName, el.id, label, Math.round(box.top + window.scrollY), Math.round(box.left)].join('|'),
    focusVisible: el.matches(':focus-visible'),
    outlineWidth: outline ? parseFloat(style.outlineWidth) : 0,
    boxShadow: style.boxShadow,
    ratio: Math.round(ratio * 100) / 100,
    ring: outline ? style.outlineColor : style.boxShadow,
    background: `rgb(${background.r}, ${background.g}, ${background.b})`,
  };
}
"""


def focus_ring(page: Page) -> dict | None:
    """The focused element's focus ring (see FOCUS_RING_JS), or None when nothing is focused."""
    return page.evaluate(FOCUS_RING_JS)


def ring_problem(ring: dict) -> str | None:
    """Why a focus ring fails (not shown, too thin, too faint), or None when it is fine."""
    if not ring["focusVisible"]:
        return f"{ring['element']} is focused but does not match :focus-visible"
    if ring["outlineWidth"] < 2 and ring["boxShadow"] == "none":
        return f"{ring['element']} has no visible focus ring (outline {ring['outlineWidth']}px, no box-shadow)"
    if ring["ratio"] < 3:
        return (
            f"{ring['element']}: focus ring {ring['ring']} on {ring['background']} contrasts {ring['ratio']}:1 (< 3:1)"
        )
    return None
