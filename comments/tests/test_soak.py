"""A short soak (bench/soak.py): comments posted while a worker dies and PostgreSQL restarts are all kept.

The soak starts its own PostgreSQL cluster, Redis and gunicorn, so this test needs no test database, only the
server binaries; CI, which has them, sets REQUIRE_POSTGRES=1 and REQUIRE_REDIS=1 to fail instead of skipping.
"""

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bench import soak
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
    assert count(report, "stored, though refused") == 0


OUTCOMES = [
    pytest.param({"a"}, {}, set(), {"a": 1}, [], id="accepted-stored-once"),
    pytest.param({"a"}, {}, set(), {}, ["accepted comments missing: a"], id="accepted-missing"),
    pytest.param({"a"}, {}, set(), {"a": 2}, ["comments stored twice: a"], id="accepted-stored-twice"),
    pytest.param(set(), {"b": 400}, set(), {"b": 1}, ["comments stored though refused: b"], id="400-stored"),
    pytest.param(set(), {"b": 409}, set(), {"b": 1}, ["comments stored though refused: b"], id="409-stored"),
    pytest.param(set(), {"b": 503}, set(), {"b": 1}, ["comments stored though refused: b"], id="503-stored"),
    pytest.param(set(), {"b": 429}, set(), {}, [], id="refused-not-stored"),
    pytest.param(set(), {}, {"c"}, {"c": 1}, [], id="answer-lost-stored"),
    pytest.param(set(), {}, {"c"}, {}, [], id="answer-lost-not-stored"),
]


@pytest.mark.parametrize(("accepted", "refused", "lost", "stored", "failures"), OUTCOMES)
def test_the_soak_fails_on_every_outcome_a_reader_would_be_misled_by(
    accepted, refused, lost, stored, failures
):
    tally = soak.Tally()
    tally.accepted, tally.refused, tally.lost = set(accepted), dict(refused), set(lost)
    tally.posted = len(accepted) + len(refused) + len(lost)
    arguments = (soak.parse_args([]), tally, Counter(stored), [], Counter(), 4, True, 0.0, 60)
    report, found = soak.markdown(*arguments)
    assert found == failures
    assert count(report, "stored, though refused") == len(set(refused) & set(stored))
