"""Typo tolerance on PostgreSQL: accept a name as similar from a word similarity of 0.5 (pg_trgm's default: 0.6).

At 0.6 a one-letter slip in a short word is missed ("kripik" against "Keripik" scores 0.57, "lempuk"
against "Lempok" 0.57). The catalog only turns typo tolerance on when full-text search finds almost
nothing (catalog/search.py), so the looser threshold costs little precision. The setting belongs to
the database, so every new connection has it, with no query per request; this session gets it too.
A role without the right to alter the database keeps the default (a notice, not a failure).
"""

from django.db import migrations

THRESHOLD = "0.5"

INSTALL = f"""
DO $$
BEGIN
    EXECUTE 'ALTER DATABASE ' || quote_ident(current_database())
        || ' SET pg_trgm.word_similarity_threshold = {THRESHOLD}';
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'Galeri: cannot set pg_trgm.word_similarity_threshold on this database; the default (0.6) applies.';
END
$$;
SET pg_trgm.word_similarity_threshold = {THRESHOLD};
"""

UNINSTALL = """
DO $$
BEGIN
    EXECUTE 'ALTER DATABASE ' || quote_ident(current_database()) || ' RESET pg_trgm.word_similarity_threshold';
EXCEPTION WHEN insufficient_privilege THEN
    NULL;
END
$$;
"""


def install(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL)


def uninstall(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNINSTALL)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_product_search_vector")]

    operations = [migrations.RunPython(install, uninstall)]
