"""The embedded default (SQLite: DATABASE_URL unset or sqlite://) is set up for several writers at once.

Each connection takes the write lock when its transaction begins, waits for it instead of failing with
"database is locked", and writes ahead (WAL) so readers never wait for a writer. The load itself is proved by
comments/tests/test_concurrent_posting.py in the SQLite pass (`make test-sqlite`).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CONNECTION_STATE = """
import json, django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    state = {
        pragma: cursor.execute(f"PRAGMA {pragma}").fetchone()[0]
        for pragma in ("journal_mode", "busy_timeout", "synchronous")
    } if connection.vendor == "sqlite" else {}
options = connection.settings_dict["OPTIONS"]
print(json.dumps({**state, "transaction_mode": getattr(connection, "transaction_mode", None),
    "options": sorted(options), "test_name": connection.settings_dict["TEST"].get("NAME")}))
"""


def connection_state(tmp_path, **environment):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DJANGO_SECRET_KEY="x" * 50, **environment)
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'site.db'}")
    command = [sys.executable, "-c", CONNECTION_STATE]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("environment", "busy_timeout"),
    [
        pytest.param({}, 20000, id="default"),
        pytest.param({"DJANGO_SQLITE_TIMEOUT": "7"}, 7000, id="timeout-set"),
    ],
)
def test_sqlite_connections_queue_writers_and_write_ahead(tmp_path, environment, busy_timeout):
    state = connection_state(tmp_path, **environment)
    assert state["journal_mode"] == "wal"
    assert state["busy_timeout"] == busy_timeout
    assert state["synchronous"] == 1  # NORMAL: with WAL, a crash of the process loses nothing committed
    assert state["transaction_mode"] == "IMMEDIATE"
    assert state["test_name"] is None  # tests run in memory unless DJANGO_SQLITE_TEST_FILE says otherwise


def test_the_sqlite_pass_puts_the_test_database_in_a_file(tmp_path):
    state = connection_state(tmp_path, DJANGO_SQLITE_TEST_FILE=str(tmp_path / "test.db"))
    assert state["test_name"] == str(tmp_path / "test.db")


def test_postgresql_gets_no_sqlite_options(tmp_path):
    url = "postgres://postgres@/nothing?host=/nonexistent&port=1"
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(sorted(settings.DATABASES['default']['OPTIONS']))"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DJANGO_SECRET_KEY="x" * 50, DATABASE_URL=url)
    command = [sys.executable, "-c", code]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "transaction_mode" not in result.stdout and "init_command" not in result.stdout
