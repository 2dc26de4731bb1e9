"""EXPLAIN ANALYZE of the catalog's heavy queries, built by the same code the pages run (docs/performance.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/galeri_bench .venv/bin/python bench/explain.py [name ...]

For each case: the ids query of the first 2,400 results in order (what ``facets.result_ids`` caches; a
deep page reads it too), the facet query (``_combination_counts``) and the certificate counts, each run
twice so the figure is a warm one. The page's own card queries fetch 24 rows by primary key.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "galeri.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/galeri_bench")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.http import QueryDict  # noqa: E402

from catalog import facets  # noqa: E402
from catalog.filters import ProductFilter  # noqa: E402
from catalog.models import Category, Product  # noqa: E402
from catalog.views.public import MAX_PAGES, PER_PAGE  # noqa: E402

CASES = {
    "catalog": "",
    "filtered (category + region)": "category={category}&region=18.71",
    "halal": "certification=halal",
    "search common (kopi)": "q=kopi",
    "search rare (luwak)": "q=luwak",
    "search typo (kripik)": "q=kripik",
    "search typo (lempuk)": "q=lempuk",
}


def explain(queryset) -> list[str]:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        for _ in range(2):
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}", params)
            rows = [row[0] for row in cursor.fetchall()]
    return rows


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("EXPLAIN ANALYZE here is PostgreSQL's; point DATABASE_URL at the bench database.")
    wanted = set(sys.argv[1:])
    category = Category.objects.filter(parent__isnull=True).order_by("position").first().slug
    for name, query in CASES.items():
        if wanted and name not in wanted:
            continue
        product_filter = ProductFilter(QueryDict(query.format(category=category)), queryset=Product.objects.published())
        counts = facets.facet_counts(product_filter)  # decides the search mode (typo tolerance), as the view does
        print(
            f"\n## {name}: ?{query.format(category=category)} ({counts.total} results, "
            f"typo-tolerant: {counts.typo_tolerant})"
        )
        ids = product_filter.qs.values_list("pk", flat=True)[: MAX_PAGES * PER_PAGE]
        print("\n### Result order (first 2,400 ids; every page up to 100 reads this one cached list)\n")
        print("\n".join(explain(ids)))
        combos = (
            product_filter.queryset_without("category", "region", "sector")
            .order_by()
            .values_list("category_id", "ikm__region_id", "ikm__sector")
        )
        print("\n### Facet counts (category x region x sector)\n")
        print("\n".join(explain(combos.annotate(n=Count("pk")))))
    print("\n## A card page: 24 products by primary key (with_card_data's first query)\n")
    page_ids = list(Product.objects.published().order_by("-published_at", "-pk").values_list("pk", flat=True)[:24])
    print("\n".join(explain(Product.objects.published().filter(pk__in=page_ids).with_card_data())))


if __name__ == "__main__":
    main()
