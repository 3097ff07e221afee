"""Backups of the whole site on django-dbbackup, with our guarantees on top.

django-dbbackup dumps and restores the database (its ``pg_dump``/``pg_restore`` and SQLite backup
connectors) and archives and restores the media (its ``mediabackup``/``mediarestore`` commands). This module
puts them in one folder with ``manifest.json``: the row count of every table, counted in the dump's own
snapshot, and the size and SHA-256 of every file. The folder appears under its final name only when complete.
Restoring checks everything before it writes anything (checksums, the database vendor, every member of the
media archive, that the target database is empty unless forced), and drops every cached page afterwards.
"""

import hashlib
import json
import logging
import shutil
import sqlite3
import tarfile
import tempfile
import time
import uuid
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import django
from dbbackup import settings as dbbackup_settings
from dbbackup.db.base import get_connector
from dbbackup.db.exceptions import CommandConnectorError
from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.management import call_command
from django.db import DatabaseError, connections
from django.db.utils import load_backend
from django.test.utils import override_settings

from .invalidation import COMMENTS, SITE, invalidate

logger = logging.getLogger(__name__)

MANIFEST = "manifest.json"
FORMAT = 1
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
MEDIA_ARCHIVE = "media.tar.gz"
# pg_restore as whoever runs it, with no grants of the source database's roles; one transaction, so a
# failure leaves the database as it was (dbbackup adds --single-transaction --clean --if-exists).
PG_RESTORE_OPTIONS = ["--no-owner", "--no-privileges", "--exit-on-error"]
# libpq parameters Django reads from OPTIONS (DATABASE_URL's ?host=…&port=…) that dbbackup's connector does
# not pass on (it passes the ssl ones): pg_dump and pg_restore get them in their environment, which libpq
# reads where the address dbbackup builds leaves them out.
LIBPQ_ENVIRONMENT = {
    "host": "PGHOST",
    "port": "PGPORT",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}
QUIET = {"verbosity": 0, "interactive": False}


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
    """A new folder named by the UTC time in the location of the ``dbbackup`` storage (DJANGO_BACKUP_DIR)."""
    storage = storages.create_storage(settings.STORAGES["dbbackup"])
    if not isinstance(storage, FileSystemStorage):
        raise BackupError('STORAGES["dbbackup"] must be a local folder: give --output.')
    return Path(storage.location) / datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


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


def _count_rows(cursor, quote, existing):
    counts = {}
    for label, table in counted_tables().items():
        if table in existing:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            counts[label] = cursor.fetchone()[0]
    return counts


@contextmanager
def connected(settings_dict):
    """A Django connection of its own to the database these settings name, closed on leaving.

    Known to ``connections`` by a fresh alias while open: dbbackup's connectors and connection signals
    (django.contrib.postgres's, which cache type OIDs per alias) look it up by alias.
    """
    complete = {**connections["default"].settings_dict, **settings_dict}
    alias = f"backups-{uuid.uuid4().hex}"
    wrapper = load_backend(complete["ENGINE"]).DatabaseWrapper(complete, alias)
    connections[alias] = wrapper
    try:
        yield wrapper
    finally:
        wrapper.close()
        del connections[alias]


def _connector(alias, options_of="default"):
    """dbbackup's connector for the database behind ``alias``, with DBBACKUP_CONNECTORS[options_of]
    (DUMP_CMD, RESTORE_CMD and kin) also for a restore's target, which is known by a passing alias."""
    connector = get_connector(alias)
    for option, value in dbbackup_settings.CONNECTORS.get(options_of, {}).items():
        setattr(connector, option.lower(), value)
    if connections[alias].vendor == "postgresql":
        options = connector.settings.get("OPTIONS") or {}
        connector.env = {
            **connector.env,
            **{name: str(options[key]) for key, name in LIBPQ_ENVIRONMENT.items() if options.get(key)},
        }
    return connector


def _make_spool_folder():
    """dbbackup spools what it copies into DBBACKUP_TMP_DIR (DJANGO_BACKUP_DIR), which must exist."""
    Path(dbbackup_settings.TMP_DIR).mkdir(parents=True, exist_ok=True)


def _media_storage():
    storage = storages.create_storage(settings.STORAGES["default"])
    return storage if isinstance(storage, FileSystemStorage) else None


# Backup


def backup(output=None, *, using="default", progress=_quiet):
    """Writes a backup folder of the database behind ``using`` and the local media; returns its path."""
    output = Path(output) if output else default_output_dir()
    if output.exists() and any(output.iterdir()):
        raise BackupError(f"{output} already exists and is not empty: choose another --output.")
    output.parent.mkdir(parents=True, exist_ok=True)
    _make_spool_folder()
    # Written under a temporary name beside the target (readable by its owner only: it holds readers'
    # addresses and password hashes), so a folder with the final name is always complete.
    partial = Path(tempfile.mkdtemp(prefix=f".{output.name}.partial-", dir=output.parent))
    try:
        manifest = _write_backup(partial, using, progress)
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        if output.exists():
            output.rmdir()
        partial.rename(output)
    except BaseException:
        logger.warning("Backup into %s failed; its partial folder %s is removed", output, partial)
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return output


def _write_backup(directory, using, progress):
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    database_file = directory / DATABASE_FILES[vendor]
    started = time.monotonic()
    progress(f"Backing up the {vendor} database {connection.settings_dict['NAME']}…")
    if vendor == "postgresql":
        counts, server_version = _dump_postgresql(database_file, using)
    else:
        counts, server_version = _copy_sqlite(database_file, using)
    progress(
        f"Database: {sum(counts.values())} rows in {len(counts)} tables "
        f"({_size(database_file)}, {time.monotonic() - started:.1f} s)."
    )
    media = _archive_media(directory, progress)
    files = [database_file.name, *filter(None, [media["file"]])]
    return {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "django": django.get_version(),
        "database": {
            "vendor": vendor,
            "engine": connection.settings_dict["ENGINE"],
            "server_version": server_version,
            "name": str(connection.settings_dict["NAME"]),
            "file": database_file.name,
        },
        "media": media,
        "counts": counts,
        "files": {
            name: {"bytes": (directory / name).stat().st_size, "sha256": sha256_of(directory / name)}
            for name in files
        },
    }


def _write_dump(connector, path):
    try:
        dump = connector.create_dump()
    except CommandConnectorError as error:
        raise BackupError(f"The database dump failed: {error}") from error
    with dump, open(path, "wb") as target:
        shutil.copyfileobj(dump, target, 1024 * 1024)


def _dump_postgresql(path, using):
    # dbbackup's pg_dump runs in a snapshot exported by a transaction of our own, which counts the rows: the
    # counts in the manifest are those of the dump even while the site keeps writing.
    with connected(connections[using].settings_dict) as wrapper, wrapper.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            existing = set(wrapper.introspection.table_names(cursor))
            counts = _count_rows(cursor, wrapper.ops.quote_name, existing)
            connector = _connector(using, options_of=using)
            connector.dump_suffix = f"--snapshot={snapshot}"
            _write_dump(connector, path)
        finally:
            cursor.execute("ROLLBACK")
    return counts, server_version


def _copy_sqlite(path, using):
    _write_dump(_connector(using, options_of=using), path)
    copy = sqlite3.connect(path)
    try:
        # The site's database writes ahead (WAL); the copy becomes one file that opens read-only.
        copy.execute("PRAGMA journal_mode=DELETE")
        cursor = copy.cursor()
        existing = {row[0] for row in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        counts = _count_rows(cursor, connections[using].ops.quote_name, existing)
    finally:
        copy.close()
    return counts, sqlite3.sqlite_version


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
    progress(f"Archiving media from {storage.location}…")
    started = time.monotonic()
    # A site with no upload yet has no media folder, which dbbackup would not find: it is empty.
    Path(storage.location).mkdir(parents=True, exist_ok=True)
    call_command("mediabackup", output_path=str(directory / MEDIA_ARCHIVE), compress=True, **QUIET)
    with tarfile.open(directory / MEDIA_ARCHIVE, "r:gz") as archive:
        files = sum(member.isfile() for member in archive)
    progress(
        f"Media: {files} files ({_size(directory / MEDIA_ARCHIVE)}, {time.monotonic() - started:.1f} s)."
    )
    return {"storage": "local", "root": str(storage.location), "file": MEDIA_ARCHIVE, "files": files}


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
    _check_manifest(manifest, directory / MANIFEST)
    return manifest


def _check_manifest(manifest, path):
    refused = BackupError(f"{path} is not a backup manifest of format {FORMAT}.")
    try:
        files = manifest["files"]
        vendor = manifest["database"]["vendor"]
        named = [manifest["database"]["file"], *filter(None, [(manifest.get("media") or {}).get("file")])]
        well_formed = (
            manifest["format"] == FORMAT
            and vendor in DATABASE_FILES
            and manifest["database"]["file"] == DATABASE_FILES[vendor]
            and isinstance(manifest["counts"], dict)
            and all(name in files for name in named)
            and all(
                isinstance(entry["bytes"], int) and isinstance(entry["sha256"], str)
                for entry in files.values()
            )
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise refused from error
    if not well_formed:
        raise refused


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


def check_media_archive(path, media_root):
    """The number of files in the media archive; refuses it unless every member is a plain file or folder
    with a relative name that stays inside the media folder (no absolute name, no ``..``, no link)."""
    files = 0
    try:
        with tarfile.open(path, "r:gz") as archive:
            for member in archive:
                _check_member(member, media_root)
                files += member.isfile()
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        raise BackupError(f"The media archive cannot be read, nothing was restored: {error}.") from error
    return files


def _check_member(member, media_root):
    name = PurePosixPath(member.name)
    problem = None
    if not (member.isfile() or member.isdir()):
        problem = "is a link or a special file"
    elif name.is_absolute() or ".." in name.parts:
        problem = "is outside the media folder"
    else:
        try:
            tarfile.data_filter(member, str(media_root))
        except tarfile.FilterError as error:
            raise _refused_member(member, f"is not a plain file inside the media folder ({error})") from error
    if problem:
        raise _refused_member(member, problem)


def _refused_member(member, problem):
    return BackupError(f"The media archive is refused, nothing was restored: {member.name!r} {problem}.")


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

    Refuses a database that already has a schema unless ``force``; with ``dry_run`` only checks. Every cached
    page is dropped afterwards: none may outlive the data it was made from.
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
            media_root = _media_root(media_root)
            report.media_files = check_media_archive(directory / media["file"], media_root)
        elif media.get("note"):
            report.notes.append(media["note"])
        try:
            empty = _target_is_empty(target)
        except DatabaseError as error:
            raise BackupError(
                f"Cannot reach the target database {target.settings_dict['NAME']}: {error}"
            ) from error
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
        _make_spool_folder()
        if target.vendor == "sqlite":
            _release_sqlite(target)
        try:
            # Media first: their names never change meaning, so files the database does not name yet harm
            # nothing, and a failure here leaves the database untouched.
            if media.get("file"):
                _restore_media(directory / media["file"], media_root)
                progress(f"Media: {report.media_files} files restored into {media_root}.")
            _restore_database(directory / manifest["database"]["file"], target, progress)
        finally:
            # Whatever part was restored, no page made from the data before it is served again.
            invalidate(SITE, COMMENTS)
        progress("Cached pages dropped: every page is made again from the restored data.")
        report.counts, report.mismatches = _compare_counts(target, manifest["counts"])
    return report


def _media_root(media_root):
    if media_root is not None:
        return Path(media_root).resolve()
    storage = _media_storage()
    if storage is None:
        raise BackupError(
            "The backup holds local media but media are configured for object storage: "
            "upload them to the bucket yourself, or restore with local media settings."
        )
    return Path(storage.location).resolve()


def _restore_media(archive, media_root):
    # dbbackup's mediarestore writes into the default storage: for its run, that is the media folder.
    media_root.mkdir(parents=True, exist_ok=True)
    folder = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": media_root}}
    with override_settings(STORAGES={**settings.STORAGES, "default": folder}):
        call_command("mediarestore", input_path=str(archive), uncompress=True, replace=True, **QUIET)


def _restore_database(dump, target, progress):
    name = target.settings_dict["NAME"]
    started = time.monotonic()
    progress(f"Restoring into the {target.vendor} database {name}…")
    connector = _connector(target.alias)
    if target.vendor == "postgresql":
        connector.pg_options = PG_RESTORE_OPTIONS
        target.close()
    try:
        with open(dump, "rb") as stream:
            connector.restore_dump(stream)
    except CommandConnectorError as error:
        raise BackupError(f"Restoring into {name} failed, the database is as it was: {error}") from error
    progress(f"Database restored ({time.monotonic() - started:.1f} s).")


def _release_sqlite(target):
    """Closes this process's connections to the file; refuses while another process has it open."""
    if target.is_in_memory_db():
        raise BackupError("The target SQLite database is in memory: restore into a database file.")
    name = target.settings_dict["NAME"]
    target.close()
    for alias in connections:
        if connections[alias].settings_dict.get("NAME") == name:
            connections[alias].close()
    Path(name).parent.mkdir(parents=True, exist_ok=True)
    # dbbackup writes the copy over the file: a write-ahead log left beside it would be replayed onto it.
    # SQLite removes the log when the last connection closes, so one left now belongs to another process.
    if Path(f"{name}-wal").exists():
        raise BackupError(
            f"{name} is open in another process (its {name}-wal exists): stop the site and try again. "
            "Nothing was restored."
        )


def _compare_counts(target, expected):
    with target.cursor() as cursor:
        existing = set(target.introspection.table_names(cursor))
        counts = _count_rows(cursor, target.ops.quote_name, existing)
    mismatches = {
        label: (rows, counts.get(label)) for label, rows in expected.items() if counts.get(label) != rows
    }
    return counts, mismatches
