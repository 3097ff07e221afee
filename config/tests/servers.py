"""Real servers for fault tests, on loopback and in temporary folders: PostgreSQL, Redis and gunicorn nodes.

Each test that stops or kills one starts its own, so nothing it breaks is shared with other tests.
"""

import http.cookiejar
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 30


def require(available, variable, message):
    """Skips without what the test needs, or fails when the environment says it must run (CI)."""
    if available:
        return
    if os.environ.get(variable) == "1":
        pytest.fail(message)
    pytest.skip(message)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(ready, what, process=None, seconds=START_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            break
        if ready():
            return
        time.sleep(0.1)
    pytest.fail(f"{what} did not start within {seconds} s")


def shareable_database():
    """True when server processes can open the test database: PostgreSQL, or SQLite in a file."""
    from django.db import connection

    if connection.vendor == "sqlite":
        return not connection.is_in_memory_db()
    return connection.vendor == "postgresql"


def postgres_bin():
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda path: int(path.parts[-3]))
    return found[-1].parent if found else None


class PostgresCluster:
    """A throwaway cluster on a Unix socket (no TCP), as .ci/with-database makes one; stoppable mid-test."""

    def __init__(self):
        # Not in pytest's temporary folder, which the postgres user may not enter; short for the socket path.
        self.directory = Path(tempfile.mkdtemp(prefix="citaonica-pg-"))
        self.data = self.directory / "data"
        self.port = free_port()
        self.bin = postgres_bin()
        # initdb refuses to run as root: the cluster then belongs to the postgres system user.
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        if self.as_owner:
            shutil.chown(self.directory, "postgres")
        self._run(
            "initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"
        )

    def _run(self, program, *args):
        command = [*self.as_owner, str(self.bin / program), *map(str, args)]
        finished = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if finished.returncode:
            pytest.fail(f"{program} failed: {finished.stderr[-2000:]}")

    def start(self):
        options = (
            f"-k {self.directory} -p {self.port} -c listen_addresses= -c fsync=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl", "-D", self.data, "-l", self.directory / "server.log", "-w", "-o", options, "start"
        )

    def stop(self):
        self._run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def destroy(self):
        subprocess.run(
            [*self.as_owner, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(self.directory, ignore_errors=True)

    def create_database(self, name):
        self._run("createdb", "-h", self.directory, "-p", self.port, "-U", "postgres", name)

    def url(self, name):
        return f"postgres://postgres@/{name}?{urlencode({'host': self.directory, 'port': self.port})}"


def database_url_of_tests():
    """DATABASE_URL of the database this test process writes to, for servers that must see its rows.

    A SQLite test database can be shared only as a file (DJANGO_SQLITE_TEST_FILE); see ``shareable_database``.
    """
    from django.db import connection

    database = connection.settings_dict
    if connection.vendor == "sqlite":
        assert not connection.is_in_memory_db(), "a database in memory cannot be shared with a server"
        return f"sqlite:///{Path(database['NAME']).resolve()}"
    user = quote(database["USER"] or "", safe="")
    if database["PASSWORD"]:
        user += ":" + quote(database["PASSWORD"], safe="")
    query = dict(database.get("OPTIONS") or {})
    query.update({key: database[key.upper()] for key in ("host", "port") if database[key.upper()]})
    return f"postgres://{user + '@' if user else ''}/{quote(database['NAME'], safe='')}?{urlencode(query)}"


def environment(**variables):
    """Production settings for a subprocess: no inherited DJANGO_ or COMMENTS_ variable leaks in."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "COMMENTS_"))}
    env.pop("DATABASE_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="fault-tests-secret-key-" + "x" * 30,
        DJANGO_SECURE="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_LOG_LEVEL="WARNING",
    )
    env.update({key: str(value) for key, value in variables.items()})
    return env


def manage(database_url, *args):
    command = [sys.executable, "manage.py", *args]
    env = environment(DATABASE_URL=database_url)
    finished = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if finished.returncode:
        pytest.fail(f"manage.py {args[0]} failed: {finished.stderr[-3000:]}")
    return finished.stdout


def manage_shell(database_url, code):
    return manage(database_url, "shell", "--no-startup", "--no-imports", "-c", code)


def collect_static(root):
    """Collected static files with their manifest, which production settings need to render any page."""
    manifest = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
    with override_settings(STATIC_ROOT=root, STORAGES={**settings.STORAGES, "staticfiles": manifest}):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


class Process:
    def __init__(self, name, command, workdir, env=None):
        self.name = name
        self.stderr_path = Path(workdir) / f"{name}.stderr"
        with self.stderr_path.open("wb") as stderr:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,  # its own process group: stopping it stops its workers too
            )

    def stderr(self):
        return self.stderr_path.read_text(errors="replace")[-5000:]

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


class Node(Process):
    """A gunicorn node with the site; ``workers()`` are its worker processes' ids."""

    def __init__(self, workdir, env, workers):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            *(sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{self.port}"),
            *("--workers", str(workers), "--graceful-timeout", "5", "--timeout", "60"),
        ]
        super().__init__(f"node-{self.port}", command, workdir, env)

    def workers(self):
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                children.append(int(stat.parent.name))
        return children


def start_node(workdir, *, database_url, static_root, workers=1, **variables):
    env = environment(
        DATABASE_URL=database_url,
        DJANGO_STATIC_ROOT=static_root,
        DJANGO_MEDIA_ROOT=Path(workdir) / "media",
        DJANGO_MAILER_LOCK_PATH=Path(workdir) / "send_mail",
        **variables,
    )
    node = Node(workdir, env, workers)
    try:
        wait_until(lambda: answers(node.url + "/healthz"), f"gunicorn ({node.stderr()})", node.process)
    except BaseException:
        node.stop()
        raise
    return node


def answers(url):
    try:
        urllib.request.urlopen(url, timeout=2).close()
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


def redis_answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
            probe.sendall(b"PING\r\n")
            return probe.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class Redis(Process):
    """A Redis that keeps nothing on disk, on a port that stays the same across ``restart()``.

    ``maxmemory`` (e.g. "64mb") makes it a cache of pages as production runs one: past that much it evicts
    the least recently used keys (allkeys-lru). Without it, it never evicts, as the default cache must not.
    """

    PAGES_MAXMEMORY = "64mb"

    def __init__(self, workdir, maxmemory=None):
        self.workdir = Path(workdir)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.maxmemory = maxmemory
        self.start()

    @classmethod
    def for_pages(cls, workdir, maxmemory=PAGES_MAXMEMORY):
        return cls(workdir, maxmemory=maxmemory)

    def start(self):
        command = [
            *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.workdir)),
            *("--save", "", "--appendonly", "no"),
        ]
        if self.maxmemory:
            command += ["--maxmemory", self.maxmemory, "--maxmemory-policy", "allkeys-lru"]
        else:
            command += ["--maxmemory-policy", "noeviction"]
        super().__init__(f"redis-{self.port}", command, self.workdir)
        try:
            wait_until(lambda: redis_answers(self.port), f"redis-server ({self.stderr()})", self.process)
        except BaseException:
            self.stop()
            raise

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


class Visitor:
    """An HTTP client: (status, body, headers) for every answer, errors included; redirects are followed.

    Without cookies unless ``cookies=True``, like a browser that signs in; ``last_url`` is where the last
    request landed after its redirects.
    """

    def __init__(self, base_url, cookies=False):
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        handlers = [urllib.request.HTTPCookieProcessor(self.jar)] if cookies else []
        self.opener = urllib.request.build_opener(*handlers)
        self.last_url = None

    def request(self, path, data=None, accept=None):
        body = urlencode(data, doseq=True).encode() if data is not None else None
        headers = {"Accept": accept} if accept else {}
        request = urllib.request.Request(self.base_url + path, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as response:
                self.last_url = response.url
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            self.last_url = error.url
            return error.code, error.read().decode(errors="replace"), dict(error.headers)

    def cookie(self, name):
        return next(cookie.value for cookie in self.jar if cookie.name == name)

    def get(self, path):
        return self.request(path)

    def post(self, path, data, accept=None):
        return self.request(path, data, accept)
