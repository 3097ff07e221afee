"""A short soak (bench/soak.py): comments posted while a worker dies and PostgreSQL restarts are all kept.

The soak starts its own PostgreSQL cluster, Redis and gunicorn, so this test needs no test database, only the
server binaries; CI, which has them, sets REQUIRE_POSTGRES=1 and REQUIRE_REDIS=1 to fail instead of skipping.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from config.tests.servers import require

ROOT = Path(__file__).resolve().parents[2]


def count(report, label):
    found = re.search(rf"^\| {re.escape(label)} \| ([\d,]+) \|$", report, re.MULTILINE)
    assert found, f"the report has no row {label!r}"
    return int(found[1].replace(",", ""))


def test_a_short_soak_with_a_killed_worker_and_a_database_restart_keeps_every_accepted_comment(tmp_path):
    require(
        list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")),
        "REQUIRE_POSTGRES",
        "the soak starts a PostgreSQL cluster: server binaries are missing (apt-get install postgresql)",
    )
    require(shutil.which("redis-server"), "REQUIRE_REDIS", "redis-server is not installed")
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "COMMENTS_")) and key != "DATABASE_URL"
    }
    report_path = tmp_path / "soak.md"
    arguments = [
        *("--duration", "15", "--kill-every", "5", "--restart-pg-every", "10"),
        *("--articles", "30", "--comments", "200", "--photos", "1", "--readers", "2", "--commenters", "2"),
        *("--output", str(report_path)),
    ]
    finished = subprocess.run(
        [sys.executable, "-m", "bench.soak", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    report = report_path.read_text()
    assert "SIGKILL to worker" in report and "PostgreSQL restarted" in report
    accepted = count(report, "accepted (201)")
    assert accepted > 0
    assert count(report, "accepted and stored once") == accepted
    assert count(report, "**accepted but missing**") == 0
    assert count(report, "**stored twice or more**") == 0
