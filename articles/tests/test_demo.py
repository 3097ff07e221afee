import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles import demo_content
from articles.demo import load_demo
from articles.models import Article, ArticleNote, Image, Section

pytestmark = pytest.mark.django_db

SMALL_PHOTOS = {"photo_size": (320, 200), "make_renditions": False}


def test_demo_loader_creates_the_promised_content():
    summary = load_demo(**SMALL_PHOTOS)
    assert summary.created["articles"] == len(demo_content.ARTICLES) >= 12
    assert Section.objects.filter(articles__isnull=False).distinct().count() >= 4
    assert Article.objects.published().count() == len(demo_content.ARTICLES) + len(demo_content.LIVE_BLOGS)
    assert Image.objects.filter(restriction=Image.Restriction.EDITORIAL).exists()
    assert not Image.objects.filter(caption="").exists() and not Image.objects.filter(credit="").exists()
    assert Article.objects.filter(authors__isnull=False).distinct().count() == Article.objects.count()


def test_demo_loader_run_twice_changes_nothing():
    load_demo(**SMALL_PHOTOS)
    counts = (Article.objects.count(), Image.objects.count(), Section.objects.count())
    summary = load_demo(**SMALL_PHOTOS)
    assert set(summary.created.values()) == {0}
    assert (Article.objects.count(), Image.objects.count(), Section.objects.count()) == counts


def test_demo_loader_keeps_an_editors_changes():
    load_demo(**SMALL_PHOTOS)
    article = Article.objects.first()
    Article.objects.filter(pk=article.pk).update(title="Naslov koji je urednik ispravio")
    load_demo(**SMALL_PHOTOS)
    article.refresh_from_db()
    assert article.title == "Naslov koji je urednik ispravio"


def test_every_demo_article_page_renders_with_its_inline_photos(client):
    load_demo(**SMALL_PHOTOS)
    with_inline_photos = 0
    for article in Article.objects.published():
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        page = response.content.decode()
        assert article.title in page
        assert "data-image-id" not in page  # every placeholder became a photo
        with_inline_photos += bool(article.inline_image_ids())
    assert with_inline_photos >= 3


def test_demo_has_a_lead_gallery_of_credited_photos_and_a_gallery_in_a_body(client):
    load_demo(**SMALL_PHOTOS)
    with_lead = Article.objects.published().get(lead_gallery__isnull=False)
    items = list(with_lead.lead_gallery.items.select_related("image"))
    assert len(items) >= 6 and len({item.image.credit for item in items}) >= 6
    assert {item.image.restriction for item in items} >= {"", "editorial", "this_article"}
    page = client.get(with_lead.get_absolute_url()).content.decode()
    assert page.count('class="gallery__item"') == len(items) and f"1 / {len(items)}" in page
    in_body = Article.objects.published().exclude(pk=with_lead.pk).filter(body__contains="data-gallery-id")
    assert in_body.count() == 1
    page = client.get(in_body.get().get_absolute_url()).content.decode()
    assert 'class="gallery"' in page and "data-gallery-id" not in page


def test_command_creates_demo_logins_and_prints_them(capsys):
    call_command("load_demo", "--with-users")
    output = capsys.readouterr().out
    users = get_user_model().objects.filter(username__in=["admin", "urednik", "moderator"])
    assert users.count() == 3
    assert "urednik-demo" in output and "moderator-demo" in output
    editor = users.get(username="urednik")
    assert editor.check_password("urednik-demo") and editor.has_perm("articles.change_article")
    assert not users.get(username="moderator").has_perm("articles.change_article")


def test_dry_run_stores_nothing(capsys):
    call_command("load_demo", "--dry-run")
    assert "nothing was stored" in capsys.readouterr().out
    assert not Article.objects.exists()


def test_demo_editor_wrote_and_published_the_demo_articles_and_has_work_on_the_desk():
    load_demo(with_users=True, **SMALL_PHOTOS)
    editor = get_user_model().objects.get(username="urednik")
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    assert {(a.created_by, a.published_by) for a in published} == {(editor, editor)}
    assert Article.objects.ready_for_publication().count() == 2
    assert Article.objects.scheduled().count() == 1
    assert Article.objects.drafts_of(editor).count() == 1
    assert Article.objects.published().count() == len(demo_content.ARTICLES) + len(demo_content.LIVE_BLOGS)


def test_demo_without_logins_names_nobody():
    load_demo(**SMALL_PHOTOS)
    assert not Article.objects.filter(created_by__isnull=False).exists()
    assert not Article.objects.filter(published_by__isnull=False).exists()


def test_demo_has_a_live_blog_with_a_photo_and_an_embed(client):
    load_demo(**SMALL_PHOTOS)
    blog = Article.objects.published().get(is_live_blog=True)
    entries = list(blog.live_entries.all())
    assert 5 <= len(entries) <= 6 and blog.live_summary
    assert any(entry.image_id for entry in entries) and any(entry.embed_url for entry in entries)
    page = client.get(blog.get_absolute_url()).content.decode()
    assert "UŽIVO" in page and 'data-embed-provider="youtube"' in page
    assert page.count('class="live-entry"') == len(entries)


def test_demo_has_a_correction_a_reply_and_a_filled_impresum(client):
    load_demo(**SMALL_PHOTOS)
    note = ArticleNote.objects.select_related("article").get(kind="reply")
    assert note.article.shown_updated_at is not None  # the article reads as updated by the notes
    page = client.get(note.article.get_absolute_url()).content.decode()
    assert "Ispravke i odgovori" in page and "Odgovor — Dragan Lazić" in page
    impresum = client.get("/impresum/").content.decode()
    assert "Vesna Radulović" in impresum and "Broj u Registru medija" in impresum
    assert "oglasi@citaonica.example" in client.get("/kontakt/").content.decode()
    load_demo(**SMALL_PHOTOS)
    assert ArticleNote.objects.count() == 2
