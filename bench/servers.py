"""The servers a benchmark or soak run starts on loopback and stops again: gunicorn with the site, Redis and
a PostgreSQL cluster of its own."""

import contextlib
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

ROOT = Path(__file__).resolve().parent.parent


def use_loopback_production_settings(workdir, settings_module="config.settings", **extra):
    """This process and every server it starts: production settings on loopback, with comment rate limits
    that one address (127.0.0.1 for every simulated reader) cannot reach; this process keeps no cache."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        DJANGO_SECRET_KEY="loopback-only-secret-key-" + "x" * 30,
        DJANGO_DEBUG="0",
        DJANGO_SECURE="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,testserver",
        DJANGO_STATIC_ROOT=str(workdir / "static"),
        DJANGO_MEDIA_ROOT=str(workdir / "media"),
        DJANGO_SERVE_MEDIA="1",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_MAILER_LOCK_PATH=str(workdir / "send_mail"),
        DJANGO_CACHE="off",  # servers choose their own
        COMMENTS_RATE_PER_ADDRESS="1000000/m",
        COMMENTS_RATE_PER_EMAIL="1000000/m",
        **extra,
    )
    os.environ.pop("DJANGO_REDIS_URL", None)
    os.environ.pop("DJANGO_PAGE_CACHE_REDIS_URL", None)
    return dict(os.environ)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stop(process):
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _redis_answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


PAGES_MAXMEMORY = "256mb"


@contextlib.contextmanager
def redis_server(workdir, maxmemory=None):
    """A Redis of our own that keeps nothing on disk; yields its URL.

    With ``maxmemory`` it evicts the least recently used keys past that size, as the pages' Redis in
    production (docs/scaling.md); without, it never evicts, as the default cache must not.
    """
    port = free_port()
    command = [
        "redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", str(workdir), "--loglevel", "warning",
    ]  # fmt: skip
    if maxmemory:
        command += ["--maxmemory", maxmemory, "--maxmemory-policy", "allkeys-lru"]
    else:
        command += ["--maxmemory-policy", "noeviction"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while not _redis_answers(port):
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop(process)


@contextlib.contextmanager
def redis_servers(workdir):
    """The two caches of production: the server environment that uses them, as a dict of variables."""
    with redis_server(workdir) as default, redis_server(workdir, maxmemory=PAGES_MAXMEMORY) as pages:
        yield {"DJANGO_REDIS_URL": default, "DJANGO_PAGE_CACHE_REDIS_URL": pages}


@contextlib.contextmanager
def gunicorn(environment, workers):
    """The site under gunicorn's sync workers, as in production; yields its base URL."""
    with gunicorn_process(environment, workers) as (base, _):
        yield base


@contextlib.contextmanager
def gunicorn_process(environment, workers, log=None):
    """Like ``gunicorn``, yielding the base URL and the master's process (whose children are the workers).

    ``log``: an open file for the server's output instead of ours.
    """
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", str(workers),
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "120",
        "--graceful-timeout", "5",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/robots.txt", timeout=5).read()
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield base, process
    finally:
        _stop(process)


def child_pids(parent_pid):
    """The processes whose parent is ``parent_pid`` (gunicorn's workers, for a master), from /proc."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        # The command name in parentheses may hold spaces; the parent's id is the second field after it.
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent_pid:
            children.append(int(entry.name))
    return sorted(children)


def _postgres_binaries():
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda path: int(path.parts[-3]))
    if not found:
        raise RuntimeError("PostgreSQL server binaries are missing (apt-get install postgresql)")
    return found[-1].parent


class PostgreSQL:
    """A throwaway PostgreSQL cluster on a Unix socket, run as the postgres user when we are root."""

    def __init__(self):
        self.bin = _postgres_binaries()
        self.directory = Path(tempfile.mkdtemp(prefix="citaonica-pg-"))
        self.data = self.directory / "data"
        self.port = free_port()
        self.as_owner = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            shutil.chown(self.directory, "postgres")
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        self.url = f"postgres://postgres@/postgres?host={self.directory}&port={self.port}"

    def _pg_ctl(self, *args):
        subprocess.run(
            [*self.as_owner, str(self.bin / "pg_ctl"), "-D", str(self.data), *args],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self):
        subprocess.run(
            [*self.as_owner, str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
             "-E", "UTF8", "--locale=C.UTF-8"],
            check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        options = (
            f"-k {self.directory} -p {self.port} -c listen_addresses= -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c random_page_cost=1.1"
        )
        self._pg_ctl("-l", str(self.directory / "server.log"), "-w", "-o", options, "start")

    def restart(self):
        """A fast restart: open connections are cut, as when the database server restarts in production."""
        self._pg_ctl("-l", str(self.directory / "server.log"), "-w", "-m", "fast", "restart")

    def stop(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self._pg_ctl("-w", "-m", "fast", "stop")
        shutil.rmtree(self.directory, ignore_errors=True)

    def log(self):
        path = self.directory / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""


@contextlib.contextmanager
def postgresql():
    """A PostgreSQL cluster of our own; yields it (``.url`` for DATABASE_URL, ``.restart()``)."""
    cluster = PostgreSQL()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


def kill_one_worker(master_pid, rng):
    """SIGKILLs one gunicorn worker at random, as the OOM killer would; returns its pid or None."""
    workers = child_pids(master_pid)
    if not workers:
        return None
    pid = rng.choice(workers)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    return pid
