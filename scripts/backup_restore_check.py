"""`make backup-check`: back up a demo Galeri with scripts/backup.sh, restore it with scripts/restore.sh into a
fresh database and fresh media folders, and compare everything countable. Exits 1 on any difference.

1. Source: database galeri_restore_src (recreated), migrated, seeded with a small demo (seed_demo), plus three
   certificates with scans so the private folder holds files too. Media under var/backup-check/src-*.
2. scripts/backup.sh → var/backup-check/backups/galeri-<timestamp>/.
3. Target: database galeri_restore_dst (dropped first: it must be fresh) and empty var/backup-check/dst-* folders;
   scripts/restore.sh restores into them.
4. Compares the row count of every table, the schema (constraints, indexes, triggers, functions, extensions,
   sequences' positions), the database settings, the migrations recorded, and the media files (count, bytes,
   SHA-256 of every file); then asks Django on the restored copy: `migrate --check` and a search.

Environment: CHECK_DATABASE_URL (server and credentials, default postgres://postgres@127.0.0.1:5432),
CHECK_PRODUCTS (default 60).
"""

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support import ROOT, database_name, manage, pg_args, psql, recreate_database, with_database  # noqa: E402

SERVER = os.environ.get("CHECK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
SOURCE = with_database(SERVER + "/x", "galeri_restore_src")
TARGET = with_database(SERVER + "/x", "galeri_restore_dst")
PRODUCTS = os.environ.get("CHECK_PRODUCTS", "60")
WORK = ROOT / "var" / "backup-check"

# Three certificates with a scan each, through the real service (the demo data has no private files).
ADD_SCANS = """
import io
from catalog import services
from galeri.documents import prepare_document
from ikm.models import IKM
PDF = (b"%PDF-1.4\\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\\n"
       b"trailer<</Root 1 0 R>>\\n%%EOF\\n")
ikm = IKM.objects.public().order_by("pk").first()
for n in range(3):
    services.certification_create(ikm=ikm, user=ikm.owner, data={"type": "other", "number": f"CEK-{n}"},
                                  document=prepare_document(io.BytesIO(PDF)))
"""

# Search through Django on both copies: full text (the trigger-filled vector) and the typo-tolerant path (pg_trgm).
# The similarity threshold itself is compared under "database settings".
SEARCH = """
from catalog.models import Product
from catalog.search import parse_query, search_filter
published = Product.objects.published()
print(search_filter(published, parse_query("kopi")).count(),
      search_filter(published, parse_query("kripik"), typo_tolerant=True).count(), sep=" / ")
"""

TABLE_COUNTS = """
SELECT string_agg(format('%s=%s', t, (xpath('/row/n/text()',
       query_to_xml(format('SELECT count(*) AS n FROM %I', t), false, true, '')))[1]::text), ',' ORDER BY t)
FROM (SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public') AS tables
"""

SCHEMA_FACTS = {
    "constraints": "SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
    "WHERE n.nspname = 'public'",
    "indexes": "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'",
    "triggers": "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND NOT t.tgisinternal",
    "functions": "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
    "WHERE n.nspname = 'public'",
    "extensions": "SELECT string_agg(extname, ',' ORDER BY extname) FROM pg_extension",
    "sequences (sum of last values)": "SELECT coalesce(sum(last_value), 0) FROM pg_sequences "
    "WHERE schemaname = 'public'",
    "migrations recorded": "SELECT count(*) FROM django_migrations",
    "database settings": "SELECT coalesce(string_agg(s, ','), '') FROM pg_db_role_setting, unnest(setconfig) AS s "
    "WHERE setrole = 0 AND setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())",
    "products with a search vector": "SELECT count(*) FROM catalog_product WHERE search_vector IS NOT NULL",
}


def env_for(url: str, side: str) -> dict[str, str]:
    return {
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(WORK / f"{side}-media"),
        "PRIVATE_MEDIA_ROOT": str(WORK / f"{side}-private"),
        "MAILER": "console",
    }


def table_counts(url: str) -> dict[str, int]:
    pairs = psql(url, TABLE_COUNTS).split(",")
    return {name: int(count) for name, count in (pair.split("=") for pair in pairs)}


def media_facts(folder: Path) -> tuple[int, int, str]:
    """Files, bytes, and one SHA-256 over every file's path and content."""
    digest = hashlib.sha256()
    files = total = 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + hashlib.sha256(data).digest())
        files, total = files + 1, total + len(data)
    return files, total, digest.hexdigest()[:16]


def run(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(command, cwd=ROOT, env={**os.environ, **env}, check=True, capture_output=True, text=True)
    sys.stderr.write(result.stderr)
    return result.stdout.strip()


def main() -> int:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    source_env, target_env = env_for(SOURCE, "src"), env_for(TARGET, "dst")

    started = time.perf_counter()
    recreate_database(SOURCE)
    manage("migrate", "--noinput", "-v0", env=source_env)
    manage("seed_demo", "--products", PRODUCTS, "--ikm", "12", "--events", "6", env=source_env, capture=True)
    manage("shell", "--no-imports", "-c", ADD_SCANS, env=source_env)
    seeded = time.perf_counter() - started

    started = time.perf_counter()
    backup = Path(run(["bash", "scripts/backup.sh", str(WORK / "backups")], source_env).splitlines()[-1])
    backed_up = time.perf_counter() - started
    sizes = {p.name: p.stat().st_size for p in sorted(backup.iterdir())}

    # The target must be fresh: restore.sh creates it.
    subprocess.run(["dropdb", *pg_args(TARGET), "--if-exists", "--force", database_name(TARGET)], check=True)
    started = time.perf_counter()
    run(["bash", "scripts/restore.sh", str(backup)], target_env)
    restored = time.perf_counter() - started

    rows: list[tuple[str, object, object]] = []
    source_tables, target_tables = table_counts(SOURCE), table_counts(TARGET)
    for table in sorted(set(source_tables) | set(target_tables)):
        rows.append((table, source_tables.get(table, "missing"), target_tables.get(table, "missing")))
    for fact, sql in SCHEMA_FACTS.items():
        rows.append((fact, psql(SOURCE, sql), psql(TARGET, sql)))
    for side in ("media", "private"):
        source, target = media_facts(WORK / f"src-{side}"), media_facts(WORK / f"dst-{side}")
        rows.append((f"{side} files", source[0], target[0]))
        rows.append((f"{side} bytes", source[1], target[1]))
        rows.append((f"{side} SHA-256 of all files", source[2], target[2]))

    # Django on the restored copy: every migration applied, and search works (trigger, extension, setting).
    manage("migrate", "--check", env=target_env, capture=True)
    found = [
        manage("shell", "--no-imports", "-c", SEARCH, env=env, capture=True).stdout.strip()
        for env in (source_env, target_env)
    ]
    rows.append(("Django search: 'kopi' / typo 'kripik'", found[0], found[1]))

    differences = [row for row in rows if str(row[1]) != str(row[2])]
    total_source = sum(source_tables.values())
    print(f"Backup: {backup.relative_to(ROOT)}")
    print("  " + ", ".join(f"{name} {size / 1024:.0f} KB" for name, size in sizes.items()))
    print(
        f"Seed {seeded:.1f} s, backup {backed_up:.1f} s, restore {restored:.1f} s; "
        f"{len(source_tables)} tables, {total_source} rows.\n"
    )
    print("| what | source | restored | |")
    print("|---|---|---|---|")
    for what, source, target in rows:
        print(f"| {what} | {source} | {target} | {'ok' if str(source) == str(target) else 'DIFFERENT'} |")
    print(f"\nResult: {'PASS' if not differences else f'FAIL ({len(differences)} differences)'}")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
