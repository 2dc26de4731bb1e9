#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into a fresh database and fresh media folders.
# See docs/operations.md.
#
#   DATABASE_URL=postgres://galeri@db:5432/galeri_restored MEDIA_ROOT=/srv/galeri/media \
#   PRIVATE_MEDIA_ROOT=/srv/galeri/private scripts/restore.sh /backups/galeri-20261129T020000Z
#
# The target database is created when it does not exist; one that already holds tables is refused (this
# script never overwrites data: drop it yourself if that is really what you want). The media folders must
# be empty or absent. Checksums are verified first.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
backup="${1:?usage: scripts/restore.sh BACKUP_FOLDER}"
: "${DATABASE_URL:?DATABASE_URL must name the (new) PostgreSQL database to restore into}"
MEDIA_ROOT="${MEDIA_ROOT:-$ROOT/var/media}"
PRIVATE_MEDIA_ROOT="${PRIVATE_MEDIA_ROOT:-$ROOT/var/private}"
started=$SECONDS

(cd "$backup" && sha256sum --check --quiet SHA256SUMS)

# postgres://user@host:port/name?options → the name, and the same server's maintenance database.
name="${DATABASE_URL##*/}"
name="${name%%\?*}"
server="${DATABASE_URL%/*}"
maintenance="$server/postgres"

exists="$(psql "$maintenance" -tA -v ON_ERROR_STOP=1 -c "SELECT 1 FROM pg_database WHERE datname = '${name//\'/\'\'}'")"
if [ "$exists" = "1" ]; then
  tables="$(psql "$DATABASE_URL" -tA -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
  if [ "$tables" != "0" ]; then
    echo "restore.sh: database $name already has $tables tables; restore into a new database." >&2
    exit 1
  fi
else
  psql "$maintenance" -v ON_ERROR_STOP=1 -q -c "CREATE DATABASE \"$name\""
fi
for folder in "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT"; do
  if [ -d "$folder" ] && [ -n "$(ls -A "$folder")" ]; then
    echo "restore.sh: $folder is not empty; restore into new folders." >&2
    exit 1
  fi
done

pg_restore --no-owner --no-privileges --exit-on-error --dbname "$DATABASE_URL" "$backup/database.dump"
psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -q -v dbname="$name" -f "$backup/database-settings.sql"

umask 027
mkdir -p "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xf "$backup/media.tar"
tar -C "$PRIVATE_MEDIA_ROOT" -xf "$backup/private.tar"

echo "Restored $backup into database $name, $MEDIA_ROOT and $PRIVATE_MEDIA_ROOT in $((SECONDS - started)) s." >&2
echo "Next: python manage.py migrate --check (the code must be the backup's version or newer), then start Galeri." >&2
