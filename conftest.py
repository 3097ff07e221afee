"""Fixtures shared by every app's tests."""

import os
import shutil
import time

import hypothesis
import pytest
from hypothesis import HealthCheck

# Playwright's sync API runs an event loop in the test thread; Django must still allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
]


def pytest_collection_modifyitems(items):
    """A test that asks for one of Playwright's fixtures (a parameter named ``page`` is enough) is a browser
    test: unmarked, it would be grouped with the browser tests, and the database tests after it would run
    after theirs, on a database whose migration data (the roles) the transactional tests have flushed."""
    unmarked = [
        item.nodeid
        for item in items
        if "browser_name" in getattr(getattr(item, "callspec", None), "params", ())
        and not item.get_closest_marker("browser")
    ]
    if unmarked:
        raise pytest.UsageError("Tests using Playwright without the browser marker:\n" + "\n".join(unmarked))


@pytest.fixture(autouse=True)
def isolated_media_and_static(settings, tmp_path):
    """Uploads go to a temporary folder; static files are found without running collectstatic."""
    from articles import renditions

    renditions._made.clear()  # rendition names remembered for another test's media folder
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing is deliberately slow; tests create many accounts and need none of that strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    from django.core.cache import cache

    from config.delivery.page_cache import local_copies, mirror, pages_cache

    cache.clear()
    pages_cache().clear()
    local_copies.clear()
    mirror.forget()
    yield
    cache.clear()
    pages_cache().clear()
    local_copies.clear()
    mirror.forget()


@pytest.fixture(autouse=True)
def no_waiting_reads():
    """Reading counts buffered in this process by one test are not another test's."""
    from articles import reads

    reads.discard_waiting()
    yield
    reads.discard_waiting()


@pytest.fixture(autouse=True)
def browser_requests_settled(request):
    """After a browser test, waits until the live server's last requests have finished with the database.

    The article form sends autosaves and presence heartbeats on its own; one still writing when the test's
    database is flushed deadlocks with the flush's TRUNCATE on PostgreSQL. Torn down after the page closes
    and before pytest-django flushes.
    """
    yield
    if request.node.get_closest_marker("browser") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    busy = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND state <> 'idle'"
    )
    quiet_since, deadline = None, time.monotonic() + 10
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(busy)
            still_working = cursor.fetchone()[0]
        now = time.monotonic()
        quiet_since = (quiet_since or now) if not still_working else None
        if quiet_since is not None and now - quiet_since >= 0.5:  # a beacon sent as the page closed included
            return
        time.sleep(0.05)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required for browser tests: apt-get install chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium); browser tests skipped")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def _signed_in_member(django_user_model, username, group):
    from django.contrib.auth.models import Group
    from django.test import Client

    user = django_user_model.objects.create_user(username, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(django_user_model):
    """A client signed in as a member of the Urednici group: what an editor of the newsroom may do."""
    return _signed_in_member(django_user_model, "urednica", "Urednici")


@pytest.fixture
def moderator_client(django_user_model):
    """A client signed in as a member of the Moderatori group: the desk, and nothing of the newsroom's."""
    return _signed_in_member(django_user_model, "moderatorka", "Moderatori")


@pytest.fixture
def uncached_pages(settings):
    """Query budgets are for making a page; the page cache (on in every other test) would answer instead."""
    settings.PAGE_CACHE_SECONDS = 0


# Hypothesis: a fixed, repeatable budget in CI (HYPOTHESIS_PROFILE=dev explores more, with fresh examples).
# Function-scoped fixtures (client, database) are shared by a test's examples on purpose: each example is
# one more request to the same site, and the tests compare row counts before and after each one.
hypothesis.settings.register_profile(
    "ci",
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hypothesis.settings.register_profile(
    "dev",
    max_examples=300,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the work tree; a failure prints its reproduction blob
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="module")
def database_and_redis_servers():
    """Tests that start gunicorn nodes need a database server and Redis (skipped, or failed with REQUIRE_)."""
    from django.db import connection

    from config.tests import servers

    servers.require(
        connection.vendor == "postgresql",
        "REQUIRE_POSTGRES",
        "two nodes need a database server: run with PostgreSQL (.ci/with-database)",
    )
    servers.require(
        shutil.which("redis-server"),
        "REQUIRE_REDIS",
        "redis-server is not installed (apt-get install redis-server); two-node tests skipped",
    )


@pytest.fixture(scope="module")
def static_root(database_and_redis_servers, tmp_path_factory, django_db_setup):
    """Static files collected once for the nodes a test module starts."""
    from config.tests import servers

    return servers.collect_static(tmp_path_factory.mktemp("static"))
