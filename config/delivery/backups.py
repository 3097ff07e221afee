"""Backups of the whole site: the database and the uploaded media, in one directory with a manifest.

A backup directory holds ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3``
(SQLite, the online backup API), ``media.tar.gz`` when media are on local disk, and ``manifest.json`` with the
row count of every table and the size and SHA-256 of every file. It appears under its final name only when
complete. Restoring checks everything it can before it writes anything: checksums, the media archive's
member names, the database vendor and that the target database is empty (unless forced).
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import DatabaseError, connections
from django.db.utils import load_backend

MANIFEST = "manifest.json"
FORMAT = 1
POSTGRESQL_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA_ARCHIVE = "media.tar.gz"
POSTGRESQL_BIN_DIRS = "/usr/lib/postgresql"
# psycopg's own connect() arguments, and the password, which goes in PGPASSWORD: a command line is readable
# by every user of the machine.
PSYCOPG_ONLY = {"cursor_factory", "context", "prepare_threshold", "autocommit", "password"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass
class RestoreReport:
    directory: Path
    dry_run: bool
    counts: dict = field(default_factory=dict)
    mismatches: dict = field(default_factory=dict)
    media_files: int = 0
    notes: list = field(default_factory=list)


def _quiet(message):
    pass


def default_output_dir():
    return Path(settings.VAR_DIR) / "backups" / datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def counted_tables():
    """``{model label: table}`` for every table Django manages, many-to-many tables included."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            tables.setdefault(meta.label_lower, meta.db_table)
    return dict(sorted(tables.items()))


def _count_rows(cursor, quote, tables, existing):
    counts = {}
    for label, table in tables.items():
        if table in existing:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            counts[label] = cursor.fetchone()[0]
    return counts


@contextmanager
def connected(settings_dict):
    """A Django connection of its own to the database these settings name, closed on leaving."""
    complete = {**connections["default"].settings_dict, **settings_dict}
    # Known to `connections` (not to settings) while open: connection signals (django.contrib.postgres's)
    # look the connection up by alias. A fresh alias each time, as they cache type OIDs per alias.
    alias = f"backups-{uuid.uuid4().hex}"
    wrapper = load_backend(complete["ENGINE"]).DatabaseWrapper(complete, alias)
    connections[alias] = wrapper
    try:
        yield wrapper
    finally:
        wrapper.close()
        del connections[alias]


def _media_storage():
    storage = storages.create_storage(settings.STORAGES["default"])
    return storage if isinstance(storage, FileSystemStorage) else None


# PostgreSQL client programs


def _server_major(wrapper):
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')")
        return int(cursor.fetchone()[0]) // 10000


def postgresql_program(name, server_major):
    """The client program for this server: its own major version first, then the newest, then PATH."""
    versions = sorted(
        (int(match.group(1)), path)
        for path in Path(POSTGRESQL_BIN_DIRS).glob(f"*/bin/{name}")
        if (match := re.fullmatch(r"(\d+)", path.parent.parent.name))
    )
    for version, path in versions:
        if version == server_major and os.access(path, os.X_OK):
            return str(path)
    newer = [path for version, path in versions if version > server_major and os.access(path, os.X_OK)]
    found = str(newer[-1]) if newer else shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} was not found (looked in {POSTGRESQL_BIN_DIRS}/*/bin and on PATH): "
            f"install the PostgreSQL {server_major} client programs (apt-get install postgresql-client-"
            f"{server_major})."
        )
    return found


def _client_arguments(wrapper):
    """``--dbname`` for the site's own connection (OPTIONS included); the password goes in the environment."""
    from psycopg.conninfo import make_conninfo

    # What Django hands psycopg, less psycopg's own arguments: the rest are libpq connection parameters.
    parameters = {
        key: value
        for key, value in wrapper.get_connection_params().items()
        if key not in PSYCOPG_ONLY and value is not None
    }
    _, client_env = wrapper.client.settings_to_cmd_args_env(wrapper.settings_dict, [])
    return ["--no-password", f"--dbname={make_conninfo(**parameters)}"], {**os.environ, **(client_env or {})}


def _run(command, env, what):
    finished = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        raise BackupError(f"{what} failed (exit status {finished.returncode}): {finished.stderr.strip()}")


# Backup


def backup(output=None, *, using="default", progress=_quiet):
    """Writes a backup directory of the database behind ``using`` and the local media; returns its path."""
    output = Path(output) if output else default_output_dir()
    if output.exists() and any(output.iterdir()):
        raise BackupError(f"{output} already exists and is not empty: choose another --output.")
    output.parent.mkdir(parents=True, exist_ok=True)
    # Written under a temporary name beside the target: a directory with the final name is always complete.
    partial = Path(tempfile.mkdtemp(prefix=f".{output.name}.partial-", dir=output.parent))
    try:
        manifest = _write_backup(partial, using, progress)
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        if output.exists():
            output.rmdir()
        partial.rename(output)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return output


def _write_backup(directory, using, progress):
    connection = connections[using]
    vendor = connection.vendor
    started = time.monotonic()
    if vendor == "postgresql":
        database_file, counts, server_version = _dump_postgresql(
            directory, connection.settings_dict, progress
        )
    elif vendor == "sqlite":
        database_file, counts, server_version = _copy_sqlite(directory, connection, progress)
    else:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    progress(
        f"Database: {sum(counts.values())} rows in {len(counts)} tables "
        f"({_size(directory / database_file)}, {time.monotonic() - started:.1f} s)."
    )
    files = [database_file]
    media = _archive_media(directory, progress)
    if media.get("file"):
        files.append(media["file"])
    return {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "django": django.get_version(),
        "database": {
            "vendor": vendor,
            "engine": connection.settings_dict["ENGINE"],
            "server_version": server_version,
            "name": str(connection.settings_dict["NAME"]),
            "file": database_file,
        },
        "media": media,
        "counts": counts,
        "files": {
            name: {"bytes": (directory / name).stat().st_size, "sha256": sha256_of(directory / name)}
            for name in files
        },
    }


def _dump_postgresql(directory, settings_dict, progress):
    # pg_dump runs inside a snapshot exported by our own transaction, so the counts in the manifest are those
    # of the dump even while the site keeps writing.
    with connected(settings_dict) as wrapper:
        major = _server_major(wrapper)
        pg_dump = postgresql_program("pg_dump", major)
        tables = counted_tables()
        with wrapper.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
                snapshot, server_version = cursor.fetchone()
                existing = set(wrapper.introspection.table_names(cursor))
                counts = _count_rows(cursor, wrapper.ops.quote_name, tables, existing)
                progress(
                    f"Dumping PostgreSQL {server_version} database {settings_dict['NAME']} with {pg_dump}…"
                )
                arguments, env = _client_arguments(wrapper)
                _run(
                    [
                        pg_dump,
                        "--format=custom",
                        f"--snapshot={snapshot}",
                        f"--file={directory / POSTGRESQL_DUMP}",
                        *arguments,
                    ],
                    env,
                    "pg_dump",
                )
            finally:
                cursor.execute("ROLLBACK")
    return POSTGRESQL_DUMP, counts, server_version


def _copy_sqlite(directory, connection, progress):
    progress(f"Copying SQLite database {connection.settings_dict['NAME']}…")
    connection.ensure_connection()
    target = sqlite3.connect(directory / SQLITE_COPY)
    try:
        # The online backup API copies a consistent state even while the site writes.
        connection.connection.backup(target)
        # The site's database writes ahead (WAL); the copy is one self-contained file that opens read-only.
        target.execute("PRAGMA journal_mode=DELETE")
        cursor = target.cursor()
        existing = {row[0] for row in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        counts = _count_rows(cursor, connection.ops.quote_name, counted_tables(), existing)
    finally:
        target.close()
    return SQLITE_COPY, counts, sqlite3.sqlite_version


def _archive_media(directory, progress):
    storage = _media_storage()
    if storage is None:
        backend = settings.STORAGES["default"]["BACKEND"]
        note = (
            f"Media are in object storage ({backend}) and are not copied: the bucket's versioning "
            "is their backup."
        )
        progress(note)
        return {"storage": backend, "file": None, "note": note}
    root = Path(storage.location)
    progress(f"Archiving media from {root}…")
    started = time.monotonic()
    files = 0
    with tarfile.open(directory / MEDIA_ARCHIVE, "w:gz") as archive:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    archive.add(path, arcname=path.relative_to(root).as_posix(), recursive=False)
                    files += 1
    progress(
        f"Media: {files} files ({_size(directory / MEDIA_ARCHIVE)}, {time.monotonic() - started:.1f} s)."
    )
    return {"storage": "local", "root": str(root), "file": MEDIA_ARCHIVE, "files": files}


def _size(path):
    size = path.stat().st_size
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024


# Restore


def read_manifest(directory):
    directory = Path(directory)
    if not directory.is_dir():
        raise BackupError(f"{directory} is not a directory: give the path of a backup made by `backup`.")
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{directory} has no {MANIFEST}: it is not a backup made by `backup`.") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"{directory / MANIFEST} is not valid JSON ({error}).") from None
    if not _well_formed(manifest):
        raise BackupError(f"{directory / MANIFEST} is not a backup manifest of format {FORMAT}.")
    return manifest


def _well_formed(manifest):
    try:
        files = manifest["files"]
        named = [manifest["database"]["file"], *filter(None, [(manifest.get("media") or {}).get("file")])]
        return (
            manifest["format"] == FORMAT
            and manifest["database"]["vendor"] in {"postgresql", "sqlite"}
            and isinstance(manifest["counts"], dict)
            and all(name in files for name in named)
            and all(
                isinstance(entry["bytes"], int) and isinstance(entry["sha256"], str)
                for entry in files.values()
            )
        )
    except (KeyError, TypeError, AttributeError):
        return False


def verify_files(directory, manifest):
    """Every file the manifest lists exists with its recorded size and SHA-256."""
    for name, expected in manifest.get("files", {}).items():
        path = Path(directory) / name
        if Path(name).name != name or not path.is_file():
            raise BackupError(f"The backup is incomplete: {name} is missing.")
        if path.stat().st_size != expected["bytes"] or sha256_of(path) != expected["sha256"]:
            raise BackupError(
                f"The backup is damaged: {name} does not match its checksum in {MANIFEST}. "
                "Nothing was restored."
            )


def _check_media_archive(path, media_root):
    """Every member would land inside the media folder as a plain file or folder (tarfile's data filter)."""
    files = 0
    with tarfile.open(path, "r:gz") as archive:
        for member in archive:
            try:
                tarfile.data_filter(member, str(media_root))
            except tarfile.FilterError as error:
                raise BackupError(f"The media archive is refused, nothing was restored: {error}.") from None
            files += member.isfile()
    return files


def _target_is_empty(wrapper):
    if (
        wrapper.vendor == "sqlite"
        and not wrapper.is_in_memory_db()
        and not Path(wrapper.settings_dict["NAME"]).exists()
    ):
        return True
    with wrapper.cursor() as cursor:
        tables = wrapper.introspection.table_names(cursor)
        if "django_migrations" not in tables:
            return not tables
        cursor.execute("SELECT COUNT(*) FROM django_migrations")
        return cursor.fetchone()[0] == 0


def restore(directory, *, database=None, media_root=None, force=False, dry_run=False, progress=_quiet):
    """Restores a backup into ``database`` (settings dict; the default database) and ``media_root``.

    Refuses a database that already has a schema unless ``force``; with ``dry_run`` only checks.
    """
    directory = Path(directory)
    manifest = read_manifest(directory)
    report = RestoreReport(directory=directory, dry_run=dry_run)
    with connected(database if database is not None else connections["default"].settings_dict) as target:
        source_vendor = manifest["database"]["vendor"]
        if target.vendor != source_vendor:
            raise BackupError(
                f"The backup is of a {source_vendor} database; the target database is {target.vendor}."
            )
        progress(f"Verifying checksums of {', '.join(manifest['files'])}…")
        verify_files(directory, manifest)
        media = manifest.get("media") or {}
        if media.get("file"):
            if media_root is None:
                storage = _media_storage()
                if storage is None:
                    raise BackupError(
                        "The backup holds local media but media are configured for object storage: "
                        "upload them to the bucket yourself, or restore with local media settings."
                    )
                media_root = storage.location
            media_root = Path(media_root).resolve()
            report.media_files = _check_media_archive(directory / media["file"], media_root)
        elif media.get("note"):
            report.notes.append(media["note"])
        try:
            empty = _target_is_empty(target)
        except DatabaseError as error:
            raise BackupError(
                f"Cannot reach the target database {target.settings_dict['NAME']}: {error}"
            ) from None
        if not empty and not force:
            raise BackupError(
                f"The target database {target.settings_dict['NAME']} is not empty. Restore into an empty "
                "database, or add --force to replace its contents with the backup's."
            )
        if dry_run:
            what = "replace the contents of" if not empty else "be restored into the empty database"
            progress(
                f"Dry run: the backup is intact ({sum(manifest['counts'].values())} rows, "
                f"{report.media_files} media files) and would {what} {target.settings_dict['NAME']}."
            )
            return report
        staged = _stage_media(directory / media["file"], media_root) if media.get("file") else None
        try:
            target.close()
            _restore_database(directory, manifest, target, force, progress)
            if staged:
                _move_media(staged, media_root)
                progress(f"Media: {report.media_files} files restored into {media_root}.")
        finally:
            if staged:
                shutil.rmtree(staged, ignore_errors=True)
        report.counts, report.mismatches = _compare_counts(target, manifest["counts"])
    return report


def _stage_media(archive_path, media_root):
    # Unpacked beside the media folder first: a broken archive stops the restore before the database is
    # touched, and moving the files into place afterwards cannot fail halfway for lack of space.
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{media_root.name}.restore-", dir=media_root.parent))
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(staged, filter="data")
    except (tarfile.TarError, OSError) as error:
        shutil.rmtree(staged, ignore_errors=True)
        raise BackupError(f"The media archive cannot be unpacked, nothing was restored: {error}") from None
    return staged


def _move_media(staged, media_root):
    for path in sorted(staged.rglob("*")):
        if path.is_file():
            destination = media_root / path.relative_to(staged)
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, destination)


def _restore_database(directory, manifest, target, force, progress):
    name = target.settings_dict["NAME"]
    started = time.monotonic()
    if target.vendor == "postgresql":
        pg_restore = postgresql_program("pg_restore", _server_major(target))
        target.close()
        arguments, env = _client_arguments(target)
        # One transaction: a failing restore leaves the database as it was.
        command = [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        if force:
            command += ["--clean", "--if-exists"]
        progress(f"Restoring into PostgreSQL database {name} with {pg_restore}…")
        _run([*command, *arguments, str(directory / manifest["database"]["file"])], env, "pg_restore")
    else:
        for alias in connections:
            if connections[alias].settings_dict.get("NAME") == name:
                connections[alias].close()
        progress(f"Restoring into SQLite database {name}…")
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        try:
            copy = (directory / manifest["database"]["file"]).resolve()
            source = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)  # the backup stays as it was
            destination = sqlite3.connect(name)
            try:
                # The backup API replaces the whole target database under its lock, WAL files included,
                # where copying the file over could mix it with a stale journal.
                source.backup(destination)
            finally:
                source.close()
                destination.close()
        except sqlite3.Error as error:
            raise BackupError(f"Restoring into {name} failed: {error}") from None
    progress(f"Database restored ({time.monotonic() - started:.1f} s).")


def _compare_counts(target, expected):
    with target.cursor() as cursor:
        existing = set(target.introspection.table_names(cursor))
        counts = _count_rows(cursor, target.ops.quote_name, counted_tables(), existing)
    mismatches = {
        label: (rows, counts.get(label)) for label, rows in expected.items() if counts.get(label) != rows
    }
    return counts, mismatches
