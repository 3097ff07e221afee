"""Search on PostgreSQL: the ``citaonica`` text search configuration and the GIN index; then every backend
gets the search entries of the articles that already exist.

``citaonica`` is PostgreSQL's ``serbian`` (Snowball stemmer: "pismo", "pisma", "pismu" share a stem) with
``unaccent`` in front of it, so "sasa" finds "Saša". The GIN index is created here and not in
``SearchEntry.Meta.indexes`` because SQLite cannot migrate a GIN index.
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

CREATE_CONFIGURATION = [
    "CREATE TEXT SEARCH CONFIGURATION citaonica (COPY = pg_catalog.serbian)",
    "ALTER TEXT SEARCH CONFIGURATION citaonica "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, serbian_stem",
    "CREATE INDEX articles_searchentry_vector_gin ON articles_searchentry USING gin (vector)",
]

DROP_CONFIGURATION = [
    "DROP INDEX IF EXISTS articles_searchentry_vector_gin",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS citaonica",
]


def create_configuration(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE_CONFIGURATION:
            schema_editor.execute(statement)


def drop_configuration(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP_CONFIGURATION:
            schema_editor.execute(statement)


def index_existing_articles(apps, schema_editor):
    # The app's indexing function writes plain SQL and reads only pk, title, lead and body, so the
    # historical model serves; on a new, empty database this does nothing.
    from articles.search import index_all_articles

    alias = schema_editor.connection.alias
    index_all_articles(queryset=apps.get_model("articles", "Article").objects.using(alias), using=alias)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0007_discovery_read_counts_and_search"),
    ]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(create_configuration, drop_configuration),
        migrations.RunPython(index_existing_articles, migrations.RunPython.noop),
    ]
