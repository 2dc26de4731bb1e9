#!/usr/bin/env bash
# Back up Galeri: the PostgreSQL database (pg_dump, custom format) and both media folders, into one
# timestamped folder. See docs/operations.md.
#
#   DATABASE_URL=postgres://galeri@db:5432/galeri scripts/backup.sh [BACKUP_DIR]
#
# Environment (the same variables Galeri reads):
#   DATABASE_URL         postgres://user:pass@host:port/name (required; SQLite is not backed up by this script)
#   MEDIA_ROOT           public uploads (default var/media)
#   PRIVATE_MEDIA_ROOT   certificate scans (default var/private)
#   BACKUP_DIR           where backups go (default var/backups; the first argument wins)
#   BACKUP_KEEP          how many backups to keep in BACKUP_DIR, oldest deleted first (default 14; 0 keeps all)
#
# Writes BACKUP_DIR/galeri-<UTC timestamp>/ with database.dump, database-settings.sql, media.tar,
# private.tar, MANIFEST and SHA256SUMS, readable by the owner only (buyers' contact details are inside).
# Prints the folder's path on the last line. scripts/restore.sh restores it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
: "${DATABASE_URL:?DATABASE_URL must point to the PostgreSQL database to back up}"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "backup.sh backs up PostgreSQL; DATABASE_URL is not postgres://..." >&2; exit 2 ;;
esac
MEDIA_ROOT="${MEDIA_ROOT:-$ROOT/var/media}"
PRIVATE_MEDIA_ROOT="${PRIVATE_MEDIA_ROOT:-$ROOT/var/private}"
BACKUP_DIR="${1:-${BACKUP_DIR:-$ROOT/var/backups}}"
BACKUP_KEEP="${BACKUP_KEEP:-14}"

umask 077
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
dest="$BACKUP_DIR/galeri-$stamp"
mkdir -p "$dest"
started=$SECONDS

# The database: schema, data, the search triggers and functions, the pg_trgm extension. Owners and grants are
# left out so the dump restores under any role.
pg_dump --format=custom --no-owner --no-privileges --file "$dest/database.dump" "$DATABASE_URL"

# Database-level settings (ALTER DATABASE … SET) are not in a pg_dump of one database; Galeri sets one
# (pg_trgm.word_similarity_threshold, catalog migration 0004). Kept as SQL for restore.sh to replay.
psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -tA -c "
  SELECT format('ALTER DATABASE :\"dbname\" SET %s = %L;', split_part(s, '=', 1), substr(s, strpos(s, '=') + 1))
  FROM pg_db_role_setting, unnest(setconfig) AS s
  WHERE setrole = 0 AND setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
" > "$dest/database-settings.sql"

# Media: plain tar (the pictures are JPEG/WebP already; gzip would only cost time). A missing folder is an
# empty archive, so the restore still finds one.
for pair in "media.tar:$MEDIA_ROOT" "private.tar:$PRIVATE_MEDIA_ROOT"; do
  archive="${pair%%:*}"
  folder="${pair#*:}"
  if [ -d "$folder" ]; then
    tar -C "$folder" -cf "$dest/$archive" .
  else
    tar -cf "$dest/$archive" --files-from /dev/null
  fi
done

{
  echo "created_utc: $stamp"
  echo "database: ${DATABASE_URL##*/}"
  echo "galeri_commit: $(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)"
  echo "pg_dump: $(pg_dump --version)"
  echo "server: $(psql "$DATABASE_URL" -tA -c 'SHOW server_version')"
  echo "media_files: $(tar -tf "$dest/media.tar" | grep -vc '/$' || true)"
  echo "private_files: $(tar -tf "$dest/private.tar" | grep -vc '/$' || true)"
} > "$dest/MANIFEST"
(cd "$dest" && sha256sum database.dump database-settings.sql media.tar private.tar MANIFEST > SHA256SUMS)

if [ "$BACKUP_KEEP" -gt 0 ]; then
  # Oldest first by name (the timestamp); keep the newest BACKUP_KEEP.
  find "$BACKUP_DIR" -maxdepth 1 -type d -name 'galeri-*' | sort | head -n "-$BACKUP_KEEP" | xargs -r rm -rf
fi

echo "Backup done in $((SECONDS - started)) s: $(du -sh "$dest" | cut -f1) in" >&2
echo "$dest"
