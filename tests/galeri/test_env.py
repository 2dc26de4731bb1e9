import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from galeri.env import env_bool, env_int, env_list, env_str, parse_database_url

ROOT = Path(settings.BASE_DIR)


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("true", True), ("Yes", True), ("0", False), ("off", False)]
)
def test_env_bool_reads_usual_spellings(monkeypatch, raw, expected) -> None:
    monkeypatch.setenv("GALERI_FLAG", raw)
    assert env_bool("GALERI_FLAG", not expected) is expected


def test_env_bool_refuses_a_typo(monkeypatch) -> None:
    monkeypatch.setenv("GALERI_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="GALERI_FLAG"):
        env_bool("GALERI_FLAG", False)


def test_env_int_refuses_words(monkeypatch) -> None:
    monkeypatch.setenv("GALERI_N", "ten")
    with pytest.raises(ImproperlyConfigured):
        env_int("GALERI_N", 1)
    monkeypatch.setenv("GALERI_N", "10")
    assert env_int("GALERI_N", 1) == 10


def test_env_list_drops_blanks(monkeypatch) -> None:
    monkeypatch.setenv("GALERI_HOSTS", "a.id, b.id,,")
    assert env_list("GALERI_HOSTS") == ["a.id", "b.id"]


def test_secret_file_wins_over_the_variable(monkeypatch, tmp_path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("from-file\n")
    monkeypatch.setenv("GALERI_SECRET", "from-env")
    monkeypatch.setenv("GALERI_SECRET_FILE", str(secret))
    assert env_str("GALERI_SECRET") == "from-file"


def test_parse_postgres_url() -> None:
    db = parse_database_url("postgres://galeri:p%40ss@db.internal:6432/galeri?sslmode=require", base_dir=ROOT)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "galeri",
        "galeri",
        "p@ss",
        "db.internal",
        "6432",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_parse_sqlite_urls() -> None:
    assert parse_database_url("sqlite:///var/x.sqlite3", base_dir=Path("/srv/galeri"))["NAME"] == (
        "/srv/galeri/var/x.sqlite3"
    )
    assert parse_database_url("sqlite:////tmp/x.sqlite3", base_dir=ROOT)["NAME"] == "/tmp/x.sqlite3"


def test_parse_unknown_scheme_fails_loudly() -> None:
    with pytest.raises(ImproperlyConfigured, match="mysql"):
        parse_database_url("mysql://root@localhost/galeri", base_dir=ROOT)


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DJANGO_SETTINGS_MODULE": "galeri.settings"}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path) -> None:
    result = _manage("check", DEBUG="0", ALLOWED_HOSTS="galeri.example.id", VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_with_the_documented_production_variables(tmp_path) -> None:
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x" * 20 + "production-secret-key-of-enough-length-and-variety-123",
        ALLOWED_HOSTS="galeri.example.id",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
        VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
