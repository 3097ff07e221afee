import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from dbbackup import settings as dbbackup_settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import Article, ArticleAuthor, Author, Image
from articles.tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    SectionFactory,
    TagFactory,
    jpeg_bytes,
)
from comments.models import ArticleComment
from comments.tests.factories import ArticleCommentFactory
from config.delivery import backups
from config.delivery.backups import BackupError, backup, connected, restore, sha256_of

# pg_dump reads from its own connection, which sees only committed rows.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def spool_folder(tmp_path, monkeypatch):
    """dbbackup spools everything to disk (as it does past 10 MB), into a folder that does not exist yet."""
    monkeypatch.setattr(dbbackup_settings, "TMP_DIR", str(tmp_path / "spool"))
    monkeypatch.setattr(dbbackup_settings, "TMP_FILE_MAX_SIZE", 1)
    return tmp_path / "spool"


@pytest.fixture
def content():
    section = SectionFactory(name="Društvo", slug="drustvo")
    tags = [TagFactory(name="Ekologija", slug="ekologija"), TagFactory(name="Grad", slug="grad")]
    authors = [AuthorFactory(name="Jelena Đorđević", slug="jelena-djordjevic"), AuthorFactory()]
    articles = []
    for number, color in enumerate([(200, 30, 30), (30, 200, 30), (30, 30, 200)]):
        photo = ImageFactory(file=ContentFile(jpeg_bytes(color=color), name=f"reka-{number}.jpg"))
        articles.append(
            ArticleFactory(
                section=section,
                title=f"Reka Sava posle poplava, treći deo {number}",
                hero_image=photo,
                authors=authors,
                tags=tags,
            )
        )
    comments = [
        ArticleCommentFactory(article=articles[0], comment="Čestitke novinarki, odličan tekst o Savi."),
        ArticleCommentFactory(article=articles[1]),
    ]
    comments.append(ArticleCommentFactory(article=articles[0], parent=comments[0]))
    return {"articles": articles, "comments": comments}


@pytest.fixture
def empty_database(tmp_path):
    """Settings of a database of the test database's kind with nothing in it, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield {**connection.settings_dict, "NAME": str(tmp_path / "restored.sqlite3")}
        return
    name = f"restored_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield {**connection.settings_dict, "NAME": name}
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def query(database, sql, params=()):
    with connected(database) as restored, restored.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def table_names(database):
    with connected(database) as restored, restored.cursor() as cursor:
        return restored.introspection.table_names(cursor)


def test_restore_into_empty_database_and_media_folder_brings_back_every_article_photo_and_comment(
    content, empty_database, tmp_path
):
    directory = backup(tmp_path / "backup")
    restored_media = tmp_path / "restored-media"

    report = restore(directory, database=empty_database, media_root=restored_media)

    assert report.mismatches == {}
    article_table, image_table = Article._meta.db_table, Image._meta.db_table
    comment_text = ArticleComment._meta.get_field("comment")
    comment_table = comment_text.model._meta.db_table
    titles = {title for (title,) in query(empty_database, f"SELECT title FROM {article_table}")}
    assert titles == {article.title for article in content["articles"]}
    texts = {text for (text,) in query(empty_database, f"SELECT {comment_text.column} FROM {comment_table}")}
    assert texts == {comment.comment for comment in content["comments"]}
    assert "Čestitke novinarki, odličan tekst o Savi." in texts
    paths = {path for (path,) in query(empty_database, f"SELECT file FROM {image_table}")}
    photos = [article.hero_image for article in content["articles"]]
    assert paths == {photo.file.name for photo in photos}
    for photo in photos:
        with photo.file.open("rb") as original:
            assert (restored_media / photo.file.name).read_bytes() == original.read()
    bylines = query(
        empty_database,
        f"SELECT article.title, author.name FROM {Article._meta.db_table} article "
        f"JOIN {ArticleAuthor._meta.db_table} byline ON byline.article_id = article.id "
        f"JOIN {Author._meta.db_table} author ON author.id = byline.author_id WHERE author.slug = %s",
        ["jelena-djordjevic"],
    )
    assert {title for title, _ in bylines} == titles
    assert {name for _, name in bylines} == {"Jelena Đorđević"}
    tagged = Article.tags.through._meta.db_table
    assert query(empty_database, f"SELECT COUNT(*) FROM {tagged}") == [(6,)]


def test_forced_restore_replaces_what_the_database_holds_without_duplicating_it(
    content, empty_database, tmp_path
):
    directory = backup(tmp_path / "backup")
    restore(directory, database=empty_database, media_root=tmp_path / "restored-media")

    report = restore(directory, database=empty_database, media_root=tmp_path / "restored-media", force=True)

    assert report.mismatches == {}
    assert report.counts["articles.article"] == 3
    assert query(empty_database, f"SELECT COUNT(*) FROM {Article._meta.db_table}") == [(3,)]


def test_manifest_counts_rows_of_every_model_and_checksums_every_file(content, tmp_path):
    directory = backup(tmp_path / "backup")

    manifest = json.loads((directory / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["counts"]["articles.article"] == 3
    assert manifest["counts"]["articles.image"] == 3
    assert manifest["counts"]["articles.article_tags"] == 6
    assert manifest["counts"]["comments.articlecomment"] == 3
    assert manifest["media"]["files"] >= 3
    for name, expected in manifest["files"].items():
        assert sha256_of(directory / name) == expected["sha256"]


def test_backup_command_refuses_an_output_folder_that_already_holds_files(content, tmp_path):
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "notes.txt").write_text("ne brisati")

    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", output=str(tmp_path / "backup"), stdout=io.StringIO())

    assert [path.name for path in (tmp_path / "backup").iterdir()] == ["notes.txt"]


def test_backup_with_media_in_object_storage_says_they_stay_in_the_bucket(content, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": "citaonica"}},
    }
    out = io.StringIO()

    call_command("backup", output=str(tmp_path / "backup"), stdout=out)

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["media"]["file"] is None
    assert "not copied" in out.getvalue()
    assert sorted(path.name for path in (tmp_path / "backup").iterdir()) == sorted(
        ["manifest.json", manifest["database"]["file"]]
    )


def test_restore_refuses_a_database_that_is_not_empty(content, tmp_path):
    directory = backup(tmp_path / "backup")
    ArticleFactory(title="Vest objavljena posle rezervne kopije")

    with pytest.raises(CommandError, match=r"not empty.*--force"):
        call_command("restore", str(directory), media_root=str(tmp_path / "media-2"), stdout=io.StringIO())

    assert Article.objects.filter(title="Vest objavljena posle rezervne kopije").exists()
    assert not (tmp_path / "media-2").exists()


def test_damaged_backup_is_refused_before_anything_is_written(content, empty_database, tmp_path):
    directory = backup(tmp_path / "backup")
    database_file = directory / json.loads((directory / "manifest.json").read_text())["database"]["file"]
    damaged = bytearray(database_file.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    database_file.write_bytes(bytes(damaged))

    with pytest.raises(BackupError, match="damaged: database"):
        restore(directory, database=empty_database, media_root=tmp_path / "restored-media")

    assert table_names(empty_database) == []
    assert not (tmp_path / "restored-media").exists()


def evil_member(name, kind=tarfile.REGTYPE, target=""):
    member = tarfile.TarInfo(name)
    member.type, member.linkname = kind, target
    return member


# Each archive also holds an honest photo first, so a restore that wrote member by member would leave it.
EVIL_MEMBERS = {
    "parent folder": lambda outside: evil_member("../evil.sh"),
    "parent folder in a subfolder": lambda outside: evil_member("images/../../evil.sh"),
    "absolute name": lambda outside: evil_member(str(outside / "evil.sh")),
    "symlink out of the folder": lambda outside: evil_member(
        "images/evil.sh", tarfile.SYMTYPE, "../../evil.sh"
    ),
    "symlink to an absolute path": lambda outside: evil_member("evil.sh", tarfile.SYMTYPE, "/etc/passwd"),
    "symlink inside the folder": lambda outside: evil_member("images/copy.jpg", tarfile.SYMTYPE, "photo.jpg"),
    "hard link to an absolute path": lambda outside: evil_member("evil.sh", tarfile.LNKTYPE, "/etc/passwd"),
    "character device": lambda outside: evil_member("images/tty", tarfile.CHRTYPE),
    "named pipe": lambda outside: evil_member("images/pipe", tarfile.FIFOTYPE),
}


def replace_media_archive(directory, archive_bytes):
    """The backup's media archive swapped for another, with a manifest that vouches for it."""
    archive = directory / "media.tar.gz"
    archive.write_bytes(archive_bytes)
    manifest = json.loads((directory / "manifest.json").read_text())
    manifest["files"]["media.tar.gz"] = {"bytes": archive.stat().st_size, "sha256": sha256_of(archive)}
    (directory / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize("make_member", EVIL_MEMBERS.values(), ids=EVIL_MEMBERS.keys())
def test_media_archive_with_a_member_reaching_outside_the_media_folder_is_refused_before_anything_is_written(
    make_member, content, empty_database, tmp_path
):
    directory = backup(tmp_path / "backup")
    evil = io.BytesIO()
    with tarfile.open(fileobj=evil, mode="w:gz") as archive:
        photo = evil_member("images/photo.jpg")
        photo.size = 4
        archive.addfile(photo, io.BytesIO(b"jpeg"))
        member = make_member(tmp_path)
        payload = b"boom\n" if member.isfile() else b""
        member.size = len(payload)
        archive.addfile(member, io.BytesIO(payload))
    replace_media_archive(directory, evil.getvalue())

    with pytest.raises(BackupError, match="media archive is refused"):
        restore(directory, database=empty_database, media_root=tmp_path / "restored-media", force=True)

    assert not (tmp_path / "evil.sh").exists()
    assert not (tmp_path / "restored-media").exists()
    assert table_names(empty_database) == []


@pytest.mark.parametrize(
    "archive_bytes",
    [b"", b"not an archive at all", b"\x1f\x8b\x08\x00" + bytes(40)],
    ids=["empty", "not gzip", "broken gzip"],
)
def test_media_archive_that_cannot_be_read_is_refused_before_anything_is_written(
    archive_bytes, content, empty_database, tmp_path
):
    directory = backup(tmp_path / "backup")
    replace_media_archive(directory, archive_bytes)

    with pytest.raises(BackupError, match="media archive cannot be read"):
        restore(directory, database=empty_database, media_root=tmp_path / "restored-media")

    assert not (tmp_path / "restored-media").exists()
    assert table_names(empty_database) == []


def test_dry_run_checks_the_backup_and_restores_nothing(content, empty_database, tmp_path):
    directory = backup(tmp_path / "backup")

    report = restore(directory, database=empty_database, media_root=tmp_path / "restored-media", dry_run=True)

    assert report.dry_run
    assert report.media_files >= 3
    assert table_names(empty_database) == []
    assert not (tmp_path / "restored-media").exists()


def test_restore_of_a_folder_that_is_not_a_backup_says_so(tmp_path):
    with pytest.raises(CommandError, match=r"no manifest\.json"):
        call_command("restore", str(tmp_path), stdout=io.StringIO())


def test_failed_backup_leaves_no_folder_behind(content, tmp_path, monkeypatch):
    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("config.delivery.backups._archive_media", disk_full)

    with pytest.raises(OSError, match="No space left"):
        backup(tmp_path / "backups" / "danas")

    assert list((tmp_path / "backups").iterdir()) == []


def test_restore_command_dry_run_says_what_a_forced_restore_would_replace(content, tmp_path):
    directory = backup(tmp_path / "backup")
    ArticleFactory(title="Vest objavljena posle rezervne kopije")
    out = io.StringIO()

    call_command("restore", str(directory), "--dry-run", "--force", stdout=out)

    assert "the backup is intact" in out.getvalue()
    assert "would replace the contents of" in out.getvalue()
    assert Article.objects.filter(title="Vest objavljena posle rezervne kopije").exists()


def test_restore_refuses_a_manifest_without_the_database_file(content, tmp_path):
    directory = backup(tmp_path / "backup")
    manifest = json.loads((directory / "manifest.json").read_text())
    del manifest["database"]["file"]
    (directory / "manifest.json").write_text(json.dumps(manifest))

    with pytest.raises(CommandError, match="not a backup manifest"):
        call_command("restore", str(directory), "--dry-run", stdout=io.StringIO())


@pytest.mark.sqlite_pass
def test_a_backup_of_sqlite_written_ahead_is_one_file_that_opens_read_only(content, tmp_path):
    """The site's SQLite writes ahead (WAL); its copy must not need a journal beside it to be read."""
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        pytest.skip("a SQLite database in a file (the SQLite pass, `make test-sqlite`)")
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    directory = backup(tmp_path / "backup")
    copy = directory / "database.sqlite3"
    reader = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
    try:
        assert reader.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert reader.execute("SELECT count(*) FROM comments_articlecomment").fetchone()[0] == 3
    finally:
        reader.close()
    assert not [path.name for path in directory.iterdir() if path.name.endswith(("-wal", "-shm"))]


def page_from_the_cache(url):
    """The page as a reader gets it, and whether it came from the cache (no database work)."""
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries) == 0


def test_a_page_cached_before_a_restore_is_not_served_after_it(content, tmp_path):
    """A restore changes the data under every page: no copy made before it may be served after it.

    Restored into the suite's own database, which on SQLite other threads of a whole run may still hold
    open (the restore then rightly refuses); the invalidation after a restore is the same code on both."""
    if connection.vendor == "sqlite":
        pytest.skip("restores into the suite's own database: PostgreSQL (`make test`)")
    article = content["articles"][0]
    backed_up_title = article.title
    directory = backup(tmp_path / "backup")
    article.title = "Reka Sava: naslov ispravljen posle rezervne kopije"
    article.save()
    url = article.get_absolute_url()
    for _ in range(2):  # the first makes the singletons the page reads (a change), the second stores it
        page_from_the_cache(url)
    page, cached = page_from_the_cache(url)
    assert cached and "naslov ispravljen posle rezervne kopije" in page

    call_command(
        "restore", str(directory), "--force", media_root=str(tmp_path / "media-2"), stdout=io.StringIO()
    )

    page, cached = page_from_the_cache(url)
    assert not cached
    assert backed_up_title in page
    assert "naslov ispravljen posle rezervne kopije" not in page
    assert Article.objects.get(pk=article.pk).title == backed_up_title


def test_sqlite_restore_refuses_a_database_another_process_has_open(content, empty_database, tmp_path):
    """dbbackup writes the copy over the file; a write-ahead log left by another process would corrupt it."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    directory = backup(tmp_path / "backup")
    restore(directory, database=empty_database, media_root=tmp_path / "restored-media")
    site = sqlite3.connect(empty_database["NAME"])  # as a worker of the site would hold it
    try:
        site.execute("PRAGMA journal_mode=WAL")
        site.execute(f"DELETE FROM {Article._meta.db_table} WHERE id = ?", [content["articles"][0].pk])
        site.commit()

        with pytest.raises(BackupError, match="open in another process"):
            restore(directory, database=empty_database, media_root=tmp_path / "restored-media", force=True)

        assert site.execute(f"SELECT COUNT(*) FROM {Article._meta.db_table}").fetchone() == (2,)
    finally:
        site.close()


def test_backup_without_output_goes_to_a_new_folder_named_by_the_time_in_the_backup_storage(
    content, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "dbbackup": {**settings.STORAGES["dbbackup"], "OPTIONS": {"location": tmp_path / "kopije"}},
    }

    call_command("backup", stdout=io.StringIO())

    [folder] = (tmp_path / "kopije").iterdir()
    assert re.fullmatch(r"\d{8}T\d{6}Z", folder.name)
    assert json.loads((folder / "manifest.json").read_text())["counts"]["articles.article"] == 3


@pytest.mark.parametrize(
    ("environment", "expected"),
    [({}, "var/backups"), ({"DJANGO_BACKUP_DIR": "/srv/kopije"}, "/srv/kopije")],
    ids=["default", "DJANGO_BACKUP_DIR"],
)
def test_backups_are_kept_in_django_backup_dir(environment, expected):
    root = Path(__file__).resolve().parents[2]
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.STORAGES['dbbackup']['OPTIONS']['location'])"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env={
            **env,
            **environment,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_SECRET_KEY": "x" * 50,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    location = Path(result.stdout.strip())
    assert location == (root / expected if not Path(expected).is_absolute() else Path(expected))


@pytest.mark.parametrize(
    "arguments",
    [[], ["--noinput"], ["--input-path", "var/backups/database.dump", "--noinput", "--database", "default"]],
    ids=["bare", "no input", "with a dump"],
)
def test_dbbackups_own_dbrestore_is_refused_in_favour_of_restore(arguments):
    """django-dbbackup's dbrestore would skip the checksums, the empty-database check and the cache."""
    root = Path(__file__).resolve().parents[2]
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "dbrestore", *arguments],
        cwd=root,
        env={**env, "DJANGO_SECRET_KEY": "x" * 50, "DATABASE_URL": "sqlite:///does-not-exist/db.sqlite3"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Restore with `manage.py restore DIR`" in result.stderr


def test_backup_of_a_site_with_no_media_folder_yet_has_an_empty_media_archive(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "no-uploads-yet"
    ArticleFactory(hero_image=None)

    directory = backup(tmp_path / "backup")

    manifest = json.loads((directory / "manifest.json").read_text())
    assert manifest["media"]["files"] == 0
    with tarfile.open(directory / "media.tar.gz") as archive:
        assert archive.getnames() == []


def test_an_article_published_while_pg_dump_runs_is_neither_in_the_dump_nor_in_the_counts(
    content, empty_database, tmp_path, monkeypatch
):
    """pg_dump reads the snapshot the manifest's rows were counted in, so a restore's counts always match."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL: SQLite's copy is counted itself")
    dump_as_dbbackup_does = backups._write_dump

    def publish_then_dump(connector, path):
        ArticleFactory(title="Vest objavljena dok traje rezervna kopija")  # committed: autocommit
        dump_as_dbbackup_does(connector, path)

    monkeypatch.setattr(backups, "_write_dump", publish_then_dump)

    directory = backup(tmp_path / "backup")
    report = restore(directory, database=empty_database, media_root=tmp_path / "restored-media")

    assert Article.objects.count() == 4
    assert json.loads((directory / "manifest.json").read_text())["counts"]["articles.article"] == 3
    assert report.mismatches == {}
    titles = {title for (title,) in query(empty_database, f"SELECT title FROM {Article._meta.db_table}")}
    assert titles == {article.title for article in content["articles"]}


@pytest.mark.parametrize("option", ["DUMP_CMD", "RESTORE_CMD"])
def test_postgresql_client_programs_are_the_ones_dbbackup_connectors_name(
    option, content, empty_database, tmp_path, monkeypatch
):
    """DBBACKUP_CONNECTORS["default"] chooses pg_dump and pg_restore, also for a restore's target."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's client programs")
    directory = backup(tmp_path / "backup")
    program = tmp_path / "postgresql-17" / "bin" / "pg-client"
    monkeypatch.setattr(dbbackup_settings, "CONNECTORS", {"default": {option: str(program)}})

    with pytest.raises(BackupError, match=re.escape(str(program))):
        if option == "DUMP_CMD":
            backup(tmp_path / "another-backup")
        else:
            restore(directory, database=empty_database, media_root=tmp_path / "restored-media")

    assert table_names(empty_database) == []
