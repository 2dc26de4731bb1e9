"""The settings that make an outage a quick 503 and a recovery without restart (scripts/db_outage_check.py measures
them against a real PostgreSQL), and the key rotation docs/operations.md describes.

Settings are read at import, so each case loads galeri.settings in a fresh interpreter with the environment given.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRINT_SETTINGS = """
import json
from galeri import settings
print(json.dumps({"options": settings.DATABASES["default"]["OPTIONS"], "fallbacks": settings.SECRET_KEY_FALLBACKS}))
"""


def load_settings(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "SECRET_KEY"))}
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env={**clean, "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_postgresql_requests_give_up_quickly_and_the_pool_reconnects_at_once() -> None:
    options = load_settings(DATABASE_URL="postgres://galeri@db.example:5432/galeri")["options"]
    # psycopg's defaults (30 s wait, 5 minutes of doubling reconnect delays) outlast gunicorn's worker timeout
    # and kept Galeri down for tens of seconds after the database was back.
    assert options["pool"]["timeout"] == 3
    assert options["pool"]["reconnect_timeout"] == 2
    assert options["connect_timeout"] == 5


def test_the_timeouts_can_be_tuned_and_a_url_option_wins() -> None:
    options = load_settings(
        DATABASE_URL="postgres://galeri@db.example:5432/galeri?connect_timeout=2",
        DATABASE_POOL_TIMEOUT="7",
        DATABASE_POOL_MAX="8",
    )["options"]
    assert options["pool"] == {"min_size": 1, "max_size": 8, "timeout": 7, "reconnect_timeout": 2}
    assert options["connect_timeout"] == "2"


def test_previous_secret_keys_are_accepted_while_rotating(tmp_path: Path) -> None:
    assert load_settings()["fallbacks"] == []
    assert load_settings(SECRET_KEY_FALLBACKS="old-key-1, old-key-2")["fallbacks"] == ["old-key-1", "old-key-2"]
    keys = tmp_path / "fallbacks"
    keys.write_text("old-key-1\nold-key-2\n", encoding="utf-8")
    assert load_settings(SECRET_KEY_FALLBACKS_FILE=str(keys))["fallbacks"] == ["old-key-1", "old-key-2"]
