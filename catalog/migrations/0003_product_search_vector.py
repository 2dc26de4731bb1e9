"""Full-text search on PostgreSQL: a stored tsvector kept current by triggers, with GIN indexes.

The column exists on every database (SQLite keeps it NULL and searches with LIKE: catalog/search.py).
Everything else here runs only on PostgreSQL:

- ``catalog_product_search_vector(...)`` builds the vector with the ``indonesian`` configuration
  (it stems "menjual" to "jual"): product name (weight A), category and IKM names (B), the parent
  category's names (C), short description and description (C).
- A BEFORE INSERT OR UPDATE trigger on catalog_product fills it, so bulk_create (the demo seeder)
  and raw SQL keep it current; an update of view_count alone does not recompute it.
- AFTER UPDATE triggers on ikm_ikm (name) and catalog_category (names, parent) refresh the vectors
  of the products that show those names.
- GIN indexes: one on the vector (``@@``), one trigram index on lower(name) for typo tolerance
  ("kripik" finds "Keripik"), from the pg_trgm extension (trusted since
  PostgreSQL 13, so the database owner may create it).
"""

import django.contrib.postgres.search
from django.db import migrations

INSTALL = r"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE OR REPLACE FUNCTION catalog_product_search_vector(
    p_name text, p_short text, p_description text, p_category_id bigint, p_ikm_id bigint
) RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT
        setweight(to_tsvector('indonesian', coalesce(p_name, '')), 'A')
        || setweight(to_tsvector('indonesian', coalesce(
            (SELECT c.name || ' ' || c.name_en FROM catalog_category c WHERE c.id = p_category_id), '')), 'B')
        || setweight(to_tsvector('indonesian', coalesce(
            (SELECT i.name FROM ikm_ikm i WHERE i.id = p_ikm_id), '')), 'B')
        || setweight(to_tsvector('indonesian', coalesce(
            (SELECT pc.name || ' ' || pc.name_en FROM catalog_category c
             JOIN catalog_category pc ON pc.id = c.parent_id WHERE c.id = p_category_id), '')), 'C')
        || setweight(to_tsvector('indonesian', coalesce(p_short, '') || ' ' || coalesce(p_description, '')), 'C')
$$;

CREATE OR REPLACE FUNCTION catalog_product_search_vector_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := catalog_product_search_vector(
        NEW.name, NEW.short_description, NEW.description, NEW.category_id, NEW.ikm_id);
    RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS catalog_product_search_vector_fill ON catalog_product;
CREATE TRIGGER catalog_product_search_vector_fill
    BEFORE INSERT OR UPDATE OF name, short_description, description, category_id, ikm_id ON catalog_product
    FOR EACH ROW EXECUTE FUNCTION catalog_product_search_vector_fill();

CREATE OR REPLACE FUNCTION catalog_ikm_name_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalog_product p
       SET search_vector = catalog_product_search_vector(
           p.name, p.short_description, p.description, p.category_id, p.ikm_id)
     WHERE p.ikm_id = NEW.id;
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS catalog_ikm_name_search_refresh ON ikm_ikm;
CREATE TRIGGER catalog_ikm_name_search_refresh
    AFTER UPDATE OF name ON ikm_ikm
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION catalog_ikm_name_search_refresh();

CREATE OR REPLACE FUNCTION catalog_category_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalog_product p
       SET search_vector = catalog_product_search_vector(
           p.name, p.short_description, p.description, p.category_id, p.ikm_id)
     WHERE p.category_id = NEW.id
        OR p.category_id IN (SELECT c.id FROM catalog_category c WHERE c.parent_id = NEW.id);
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS catalog_category_search_refresh ON catalog_category;
CREATE TRIGGER catalog_category_search_refresh
    AFTER UPDATE OF name, name_en, parent_id ON catalog_category
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.name_en IS DISTINCT FROM NEW.name_en
                       OR OLD.parent_id IS DISTINCT FROM NEW.parent_id)
    EXECUTE FUNCTION catalog_category_search_refresh();

-- /produk/?q=…: the match on the stored vector.
CREATE INDEX IF NOT EXISTS catalog_product_search_idx ON catalog_product USING gin (search_vector);
-- /produk/?q=…: typo tolerance, the word-similarity operator on lower(name).
CREATE INDEX IF NOT EXISTS catalog_product_name_trgm_idx ON catalog_product USING gin (lower(name) gin_trgm_ops);

UPDATE catalog_product p
   SET search_vector = catalog_product_search_vector(
       p.name, p.short_description, p.description, p.category_id, p.ikm_id);
"""

UNINSTALL = r"""
DROP INDEX IF EXISTS catalog_product_name_trgm_idx;
DROP INDEX IF EXISTS catalog_product_search_idx;
DROP TRIGGER IF EXISTS catalog_category_search_refresh ON catalog_category;
DROP FUNCTION IF EXISTS catalog_category_search_refresh();
DROP TRIGGER IF EXISTS catalog_ikm_name_search_refresh ON ikm_ikm;
DROP FUNCTION IF EXISTS catalog_ikm_name_search_refresh();
DROP TRIGGER IF EXISTS catalog_product_search_vector_fill ON catalog_product;
DROP FUNCTION IF EXISTS catalog_product_search_vector_fill();
DROP FUNCTION IF EXISTS catalog_product_search_vector(text, text, text, bigint, bigint);
"""


def install_search(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL)


def uninstall_search(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNINSTALL)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_load_categories"),
        ("ikm", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(install_search, uninstall_search),
    ]
