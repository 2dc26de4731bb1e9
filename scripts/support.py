"""Shared by the operations scripts: run manage.py, talk to the local PostgreSQL, read a DATABASE_URL.

Standard library only, so the scripts run with any Python that can run Galeri.
"""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# What `make serve` sets (Makefile PROD_ENV): DEBUG off, whitenoise's manifest, no HTTPS on localhost.
PROD_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "operations-check-only-not-a-real-secret-0123456789abcdefghijklmnop",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "MAILER": "console",
    "SERVE_MEDIA": "1",
    "LOG_LEVEL": "WARNING",
}


def database_name(url: str) -> str:
    return unquote(urlsplit(url).path.lstrip("/"))


def with_database(url: str, name: str) -> str:
    """The same server and credentials, another database name."""
    parts = urlsplit(url)
    return parts._replace(path="/" + name).geturl()


def pg_args(url: str) -> list[str]:
    """Connection flags for psql, createdb, dropdb, pg_dump and pg_restore (the password goes in PGPASSWORD)."""
    parts = urlsplit(url)
    args = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    if parts.username:
        args += ["-U", unquote(parts.username)]
    return args


def pg_env(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    env = dict(os.environ)
    if parts.password:
        env["PGPASSWORD"] = unquote(parts.password)
    return env


def psql(url: str, sql: str, *, database: str | None = None) -> str:
    """Run one statement with psql, unaligned tuples only; return its output."""
    result = subprocess.run(
        ["psql", *pg_args(url), "-d", database or database_name(url), "-v", "ON_ERROR_STOP=1", "-tAc", sql],
        env=pg_env(url),
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def database_exists(url: str) -> bool:
    name = database_name(url).replace("'", "''")
    return psql(url, f"SELECT 1 FROM pg_database WHERE datname = '{name}'", database="postgres") == "1"


def recreate_database(url: str) -> None:
    """Drop (if present) and create the database of ``url``: a fresh, empty one."""
    name = database_name(url)
    subprocess.run(["dropdb", *pg_args(url), "--if-exists", "--force", name], env=pg_env(url), check=True)
    subprocess.run(["createdb", *pg_args(url), name], env=pg_env(url), check=True)


def manage(*args: str, env: dict[str, str], capture: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        text=True,
        capture_output=capture,
    )
