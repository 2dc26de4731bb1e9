"""Fill an empty database with a believable Lampung gallery.

``python manage.py seed_demo [--products N] [--seed S] [--if-empty]``: the apps' own
``demo.seed(ctx)`` functions run in dependency order (IKM, then catalog, then events).
"""

import random
import time
from importlib import import_module

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from galeri.demo import DemoContext

# Dependency order: products need IKM, events need both.
DEMO_MODULES = ["ikm.demo", "catalog.demo", "exhibitions.demo", "inquiries.demo"]


def _load_seeders() -> list:
    seeders = []
    for dotted in DEMO_MODULES:
        try:
            seeders.append(import_module(dotted))
        except ModuleNotFoundError as exc:
            if exc.name != dotted:
                raise
    return seeders


class Command(BaseCommand):
    help = "Fill an empty database with demo IKM, products and events of Lampung (deterministic per --seed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--products", type=int, default=240, help="How many products (default 240).")
        parser.add_argument("--ikm", type=int, default=None, help="How many IKM (default: products / 8, at least 30).")
        parser.add_argument("--events", type=int, default=None, help="How many events (default 12).")
        parser.add_argument("--seed", type=int, default=2022, help="Random seed; the same seed builds the same data.")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when the database already has data.")

    def handle(self, *args: object, **options: object) -> None:
        products = int(options["products"])
        if products < 0:
            raise CommandError("--products must be 0 or more.")
        ikm = options["ikm"] if options["ikm"] is not None else max(30, products // 8)
        events = options["events"] if options["events"] is not None else 12
        seeders = _load_seeders()
        if options["if_empty"] and any(getattr(s, "has_data", lambda: False)() for s in seeders):
            self.stdout.write("The database already has data: seed_demo left it alone.")
            return
        ctx = DemoContext(
            rng=random.Random(options["seed"]),
            products=products,
            ikm=int(ikm),
            events=int(events),
            log=lambda line: self.stdout.write(line),
        )
        started = time.perf_counter()
        for seeder in seeders:
            step_started = time.perf_counter()
            with transaction.atomic():
                seeder.seed(ctx)
            # Fresh planner statistics after every step, not only at the end: without them PostgreSQL plans
            # the next step's queries (and later the pages') for empty tables (a 50,000-product page took
            # seconds instead of milliseconds), and SQLite walks every product in date order to find one IKM's
            # dozen (an IKM page 61 ms instead of 13).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.stdout.write(f"{seeder.__name__}: {time.perf_counter() - step_started:.1f} s")
        # Bulk writes send no model signals: make every cached count and page stale explicitly.
        cache.clear()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {time.perf_counter() - started:.1f} s."))
