from django.db import migrations


class Migration(migrations.Migration):
    """Each tag's newest articles by an index read (related articles): Django's own indexes on the tag links
    table are one column each."""

    dependencies = [("articles", "0010_lead_story_index")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX article_tags_tag_newest ON articles_article_tags (tag_id, article_id DESC)",
            "DROP INDEX article_tags_tag_newest",
        ),
    ]
