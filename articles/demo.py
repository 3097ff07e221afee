"""Loads the original demo content into the database; running it again changes nothing."""

import io
import re
import zlib
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from config.delivery.invalidation import SITE, invalidate

from . import demo_content, services
from .demo_photos import draw_demo_photo
from .models import (
    Article,
    ArticleAuthor,
    ArticleNote,
    Author,
    BreakingNews,
    Gallery,
    GalleryItem,
    HourlyReadCount,
    Image,
    Impresum,
    InfoPage,
    LiveEntry,
    Section,
    SiteSettings,
    Tag,
)
from .renditions import generate_renditions

# Development logins; the loader creates them only when asked (make run does, production never should).
DEMO_USERS = [
    {"username": "admin", "password": "admin-demo", "role": "administrator", "group": None},
    {"username": "urednik", "password": "urednik-demo", "role": "urednik", "group": "Urednici"},
    {"username": "moderator", "password": "moderator-demo", "role": "moderator", "group": "Moderatori"},
]

_IMAGE_PLACEHOLDER = re.compile(r"\{\{image:([a-z0-9-]+)\}\}")
_GALLERY_PLACEHOLDER = re.compile(r"\{\{gallery:([a-z0-9-]+)\}\}")


@dataclass
class DemoSummary:
    created: dict = field(default_factory=dict)

    def count(self, kind, was_created):
        self.created.setdefault(kind, 0)
        self.created[kind] += int(was_created)


def load_demo(*, with_users=False, photo_size=(1600, 1000), make_renditions=True):
    """Creates whatever of the demo content is missing and returns how many of each kind were created."""
    summary = DemoSummary()
    with transaction.atomic():
        now = timezone.now()
        _load_site_settings()
        sections = _load_by_slug(Section, demo_content.SECTIONS, summary, "sections")
        tags = _load_by_slug(Tag, demo_content.TAGS, summary, "tags")
        users = _load_users(summary) if with_users else {}
        authors = _load_authors(users, summary)
        images = _load_images(photo_size, summary)
        galleries = _load_galleries(images, summary)
        editor = users.get("urednik")  # who wrote and published the demo articles, when the logins exist
        for spec in demo_content.ARTICLES:
            _load_article(spec, sections, authors, tags, images, galleries, now, editor, summary, "articles")
        for spec in demo_content.LIVE_BLOGS:
            _load_article(
                spec, sections, authors, tags, images, galleries, now, editor, summary, "live blogs"
            )
        for spec in demo_content.DESK_ARTICLES:
            _load_article(
                spec, sections, authors, tags, images, galleries, now, editor, summary, "desk articles"
            )
        _load_notes(now, summary)
        _load_site_pages()
        _load_breaking_news(now, summary)
        invalidate(SITE)  # written in bulk, past any service: every page is made again
    if make_renditions:
        for image in images.values():
            generate_renditions(image)
    return summary


def _load_breaking_news(now, summary):
    """The demo strip, unless one is shown already: a new load shows it again for a few hours."""
    spec = demo_content.BREAKING_NEWS
    section, slug = spec["article"]
    article = Article.objects.filter(section__slug=section, slug=slug).first()
    created = article is not None and not BreakingNews.objects.shown(now).exists()
    if created:
        BreakingNews.objects.create(
            text=spec["text"],
            url=article.get_absolute_url(),
            starts_at=now,
            expires_at=now + timedelta(hours=spec["hours"]),
        )
    summary.count("breaking news", created)


def _load_site_settings():
    site_settings = SiteSettings.get_solo()
    if not site_settings.facebook_url:
        site_settings.facebook_url = "https://www.facebook.com/"
        site_settings.instagram_url = "https://www.instagram.com/"
        site_settings.x_url = "https://x.com/"
        site_settings.print_edition_url = "https://example.org/pretplata"
        site_settings.save()


def _load_notes(now, summary):
    """Corrections and replies, through the service (so the article reads as updated), if not there yet."""
    for spec in demo_content.NOTES:
        article = Article.objects.published().filter(slug=spec["article"]).first()
        exists = article is None or ArticleNote.objects.filter(article=article, kind=spec["kind"]).exists()
        if not exists:
            note = ArticleNote(
                article=article,
                kind=spec["kind"],
                published_at=now - timedelta(hours=spec["hours_ago"]),
                replied_by=spec.get("replied_by", ""),
                text=spec["text"],
            )
            services.save_note(note)
        summary.count("notes", not exists)


def _load_site_pages():
    """The impresum, if nobody filled it yet, and the contact page, if it still has the starter text."""
    impresum = Impresum.get_solo()
    if not impresum.publisher:
        for name, value in demo_content.IMPRESUM.items():
            setattr(impresum, name, value)
        impresum.save()
    contact = InfoPage.objects.filter(key=InfoPage.Key.CONTACT).first()
    if contact is not None and contact.body.startswith("<p>Redakciji možete pisati"):
        contact.body = demo_content.CONTACT_PAGE
        contact.save()


def _load_by_slug(model, specs, summary, kind):
    loaded = {}
    for spec in specs:
        defaults = {key: value for key, value in spec.items() if key != "slug"}
        obj, created = model.objects.get_or_create(slug=spec["slug"], defaults=defaults)
        summary.count(kind, created)
        loaded[obj.slug] = obj
    return loaded


def _load_users(summary):
    User = get_user_model()
    users = {}
    for spec in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=spec["username"],
            defaults={
                "is_staff": True,
                "is_superuser": spec["group"] is None,
                "email": f"{spec['username']}@citaonica.example",
            },
        )
        if created:
            user.set_password(spec["password"])
            user.save(update_fields=["password"])
        if spec["group"]:
            user.groups.add(Group.objects.get(name=spec["group"]))
        summary.count("users", created)
        users[user.username] = user
    return users


def _load_authors(users, summary):
    authors = {}
    for spec in demo_content.AUTHORS:
        author, created = Author.objects.get_or_create(
            slug=spec["slug"], defaults={"name": spec["name"], "bio": spec["bio"]}
        )
        user = users.get(spec.get("username"))
        if user and author.user_id is None:
            author.user = user
            author.save(update_fields=["user"])
        summary.count("authors", created)
        authors[author.slug] = author
    return authors


def _load_images(photo_size, summary):
    images = {}
    for spec in demo_content.IMAGES:
        # Photos have no natural key; the alt text is unique within the demo content.
        image = Image.objects.filter(alt_text=spec["alt"]).first()
        created = image is None
        if created:
            buffer = io.BytesIO()
            draw_demo_photo(spec["palette"], spec["motif"], *photo_size).save(
                buffer, format="JPEG", quality=85
            )
            image = Image.objects.create(
                file=ContentFile(buffer.getvalue(), name=f"{spec['key']}.jpg"),
                alt_text=spec["alt"],
                caption=spec["caption"],
                credit=spec["credit"],
                restriction=spec["restriction"],
                restriction_note=spec["restriction_note"],
            )
        summary.count("photos", created)
        images[spec["key"]] = image
    return images


def _load_galleries(images, summary):
    galleries = {}
    for spec in demo_content.GALLERIES:
        # Galleries have no natural key; the title is unique within the demo content.
        gallery, created = Gallery.objects.get_or_create(title=spec["title"])
        if created:
            GalleryItem.objects.bulk_create(
                GalleryItem(gallery=gallery, image=images[key], position=position, caption=caption)
                for position, (key, caption) in enumerate(spec["items"])
            )
        summary.count("galleries", created)
        galleries[spec["key"]] = gallery
    return galleries


def _load_article(spec, sections, authors, tags, images, galleries, now, editor, summary, kind):
    section = sections[spec["section"]]
    if Article.objects.filter(section=section, slug=spec["slug"]).exists():
        summary.count(kind, False)
        return
    updated = spec.get("updated_hours_ago")
    status = spec.get("status", Article.Status.PUBLISHED)
    hours_ago = spec["hours_ago"]
    article = Article(
        section=section,
        kicker=spec["kicker"],
        title=spec["title"],
        slug=spec["slug"],
        lead=spec["lead"],
        body=_GALLERY_PLACEHOLDER.sub(
            lambda match: f'<figure data-gallery-id="{galleries[match.group(1)].pk}"></figure>',
            _IMAGE_PLACEHOLDER.sub(
                lambda match: f'<figure data-image-id="{images[match.group(1)].pk}"></figure>', spec["body"]
            ),
        ),
        hero_image=images[spec["hero"]] if spec.get("hero") else None,
        hero_caption=spec.get("hero_caption", ""),
        lead_gallery=galleries[spec["lead_gallery"]] if spec.get("lead_gallery") else None,
        status=status,
        published_at=now - timedelta(hours=hours_ago) if hours_ago is not None else None,
        updated_at=now - timedelta(hours=updated) if updated is not None else None,
        is_lead=spec.get("is_lead", False),
        comments_enabled=spec.get("comments_enabled", True),
        seo_description=spec.get("seo_description", ""),
        is_live_blog=bool(spec.get("live_entries")),
        live_summary=spec.get("live_summary", ""),
        created_by=editor,
        published_by=editor if status == Article.Status.PUBLISHED else None,
    )
    article.fill_hero_from_lead_gallery()  # as the article form's save does
    article.save()
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(article=article, author=authors[slug], position=position)
        for position, slug in enumerate(spec["authors"])
    )
    article.tags.set([tags[slug] for slug in spec.get("tags", [])])
    if hours_ago is not None and hours_ago > 0:
        _load_readings(article, hours_ago, now)
    _load_live_entries(article, spec.get("live_entries", []), images, now, editor)
    summary.count(kind, True)


def _load_live_entries(article, specs, images, now, editor):
    """A live blog's entries, each some minutes before now (the newest last in the spec)."""
    LiveEntry.objects.bulk_create(
        LiveEntry(
            article=article,
            posted_at=now - timedelta(minutes=spec["minutes_ago"]),
            text=spec["text"],
            image=images[spec["image"]] if spec.get("image") else None,
            embed_url=spec.get("embed_url", ""),
            embed_title=spec.get("embed_title", ""),
            created_by=editor,
        )
        for spec in specs
    )


def _load_readings(article, hours_ago, now):
    """A week of made-up hourly readings, fading after publication, so "Najčitanije" has something to rank."""
    popularity = 40 + zlib.crc32(article.slug.encode()) % 400
    first_hour = now.replace(minute=0, second=0, microsecond=0)
    HourlyReadCount.objects.bulk_create(
        HourlyReadCount(article=article, hour=first_hour - timedelta(hours=hour), reads=reads)
        for hour in range(min(hours_ago, 7 * 24) + 1)
        if (reads := round(popularity / (1 + (hours_ago - hour) / 6)))
    )
