"""The benchmark's target table (bench/run.py ``targets``, bench/report.py): each of issue 21's targets is a
row marked ✓ or ✗ from the run's measurements, a ratio from failed requests is never met, and the former
reference target stays as information. Made from invented loads: no server, no database."""

from types import SimpleNamespace

import pytest

from bench import report, run
from bench.data import Size
from bench.load import Load

SMALL, LARGE = Size(1_000, 20_000), Size(100_000, 1_000_000)
KB = 1024


def load(requests_per_second, median_ms=10.0, failed=0):
    return Load(
        seconds=10.0,
        requests_per_second=requests_per_second,
        median_ms=median_ms,
        p99_ms=median_ms * 2,
        requests=int(requests_per_second * 10),
        errors=0,
        non_2xx=failed,
    )


def lag_run(ratio=0.95, p99_ms=30.0, failed=0):
    return SimpleNamespace(
        ratio=ratio,
        steady=SimpleNamespace(failures=0),
        lagging=SimpleNamespace(p99_ms=p99_ms, failures=failed),
    )


def measurements(**changes):
    """A run meeting every target; ``changes`` replace a page's load (by its label's constant name), or
    ``size`` the article page's bytes, or ``growth`` the last size's load."""
    loads = {
        "MISS_COMMENT": load(140.0, median_ms=50.0),
        "MISS_SITE": load(70.0, median_ms=100.0),
        "MISS_SITE_CYRILLIC": load(66.0, median_ms=105.0),
        "FRONT_MISS": load(75.0),
        "REFERENCE_ANONYMOUS": load(20.0),
        "ARTICLE": load(45.0, median_ms=150.0),
        "REFERENCE": load(5.0),
        "CACHED": load(1800.0),
        "STATIC": load(2000.0),
        "LIVE_PART": load(1700.0),
        "SIGNED_IN": load(90.0, median_ms=60.0),
    }
    size = changes.pop("size", 110 * KB)
    at_last = changes.pop("growth", load(45.0, median_ms=150.0))
    loads.update(changes)
    rows = {
        getattr(run, name): report.Row(getattr(run, name), measured, size, 5)
        for name, measured in loads.items()
    }
    growth = [(SMALL, load(40.0, median_ms=140.0)), (LARGE, at_last)]
    return rows, growth


def marks(table):
    return {target.label.split(",")[0] + f" #{target.number}": target.mark for target in table}


def by_number(table, number):
    return [target for target in table if target.number == number]


def test_a_run_meeting_every_target_shows_every_numbered_target_met_and_the_old_reference_as_information():
    rows, growth = measurements()
    table = run.targets(rows, growth, lag_run())
    assert sorted({target.number for target in table if target.met is not None}) == [
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
    ]
    assert all(target.met for target in table if target.met is not None)
    information = [target for target in table if target.met is None]
    assert len(information) == 1
    assert "registered commenters" in information[0].label
    assert information[0].shown == "9.0"  # 45 ÷ 5 requests/s, whatever the former target of 10
    text = report.markdown(
        report.Results(
            command="python -m bench.run",
            date="today",
            scale="fast",
            machine=[],
            setup="",
            data="",
            generation=[],
            rows=list(rows.values()),
            targets=table,
            growth=growth,
            per_comments=[],
        )
    )
    assert "| 1 | article page, miss after a comment change ÷ reference with anonymous commenters" in text
    assert text.count("| ✓ |") == len(table) - 1
    assert "| information |" in text
    assert "| ✗ |" not in text


@pytest.mark.parametrize(
    ("changes", "lag", "missed"),
    [
        ({"MISS_COMMENT": load(110.0, median_ms=50.0)}, lag_run(), "1"),  # 5.5 × the reference
        ({"MISS_SITE": load(55.0, median_ms=100.0), "FRONT_MISS": load(55.0)}, lag_run(), "2"),  # 2.75 ×
        ({"FRONT_MISS": load(65.0)}, lag_run(), "3"),  # 0.93 × the article page
        ({"size": 121 * KB}, lag_run(), "4"),
        ({"MISS_SITE_CYRILLIC": load(60.0, median_ms=111.0)}, lag_run(), "5"),  # +11 %
        ({"CACHED": load(1500.0)}, lag_run(), "6"),  # 0.75 × the static file
        ({"LIVE_PART": load(1300.0)}, lag_run(), "7"),  # 0.72 × the cached article page
        ({"SIGNED_IN": load(65.0, median_ms=60.0)}, lag_run(), "8"),  # 0.46 × the anonymous miss
        ({"growth": load(35.0, median_ms=170.0)}, lag_run(), "6"),  # 1.21 × the smallest size
        ({}, lag_run(ratio=0.75), "6"),
        ({}, lag_run(p99_ms=50.0), "6"),
    ],
    ids=[
        "comment-miss-under-6x",
        "site-miss-under-3x",
        "front-slower-than-article",
        "page-over-120-kb",
        "cyrillic-over-10-percent",
        "cached-under-static",
        "live-part-under-cached-page",
        "signed-in-under-half-the-anonymous-miss",
        "growth-over-1.2",
        "lag-throughput",
        "lag-p99-at-50-ms",
    ],
)
def test_a_measure_past_its_target_is_marked_missed_and_only_its_row(changes, lag, missed):
    rows, growth = measurements(**changes)
    table = run.targets(rows, growth, lag)
    failed = [target for target in table if target.met is False]
    assert len(failed) == 1, marks(table)
    assert failed[0].number == missed
    assert failed[0].mark == "✗"


@pytest.mark.parametrize(
    ("changes", "lag", "missed"),
    [
        ({"MISS_COMMENT": load(140.0, median_ms=50.0, failed=3)}, lag_run(), {"1", "8"}),
        ({"REFERENCE_ANONYMOUS": load(20.0, failed=1)}, lag_run(), {"1", "2"}),
        ({"FRONT_MISS": load(900.0, failed=9000)}, lag_run(), {"3"}),
        ({"MISS_SITE_CYRILLIC": load(66.0, median_ms=1.0, failed=5)}, lag_run(), {"5"}),
        ({"STATIC": load(100.0, failed=50)}, lag_run(), {"6"}),
        ({}, lag_run(failed=2), {"6"}),
    ],
    ids=["comment-miss", "reference", "fast-error-pages", "cyrillic", "static-file", "lagging-phase"],
)
def test_failed_requests_never_meet_a_target_however_good_the_ratio(changes, lag, missed):
    rows, growth = measurements(**changes)
    table = run.targets(rows, growth, lag)
    failed = [target for target in table if target.met is False]
    assert {target.number for target in failed} == missed, marks(table)
    assert all("failed requests" in target.shown for target in failed)


@pytest.mark.parametrize(
    "changes",
    [
        {"REFERENCE_ANONYMOUS": load(0.0, median_ms=0.0)},  # a ratio over nothing: infinite
        {"growth": load(0.0, median_ms=0.0)},  # a median latency of 0 at the last size
        {"MISS_SITE_CYRILLIC": load(0.0, median_ms=0.0)},
    ],
    ids=["reference", "growth", "cyrillic"],
)
def test_a_page_that_answered_no_request_meets_no_target(changes):
    rows, growth = measurements(**changes)
    table = run.targets(rows, growth, lag_run())
    failed = [target for target in table if target.met is False]
    assert failed, marks(table)
    assert all("answered no request" in target.shown for target in failed)


def test_without_a_lag_run_its_rows_are_left_out_and_the_rest_still_computed():
    rows, growth = measurements()
    table = run.targets(rows, growth, None)
    assert len(by_number(table, "6")) == 2
    assert not any("lagging" in target.label for target in table)
