"""Writes the newsroom makes to what readers see, each ending in one explicit ``invalidate``.

Publishing, editing, withdrawing, moving and deleting articles; sections, authors, tags, photos, the site's
settings, the Cyrillic exceptions and galleries. The admin, the demo loader and any other writer call
these functions; no signal receiver tells the page cache behind their back (``config.delivery.invalidation``).
Every one of these changes shows at once: they are corrections, withdrawals and edits of published text or of
what every page shows (the navigation, bylines, photos, the footer).

``invalidate`` takes effect when the surrounding transaction commits (and once before), so a caller that
saves an article and then its byline and tags in one transaction, as the admin does, is covered by one call.
"""

import operator
from functools import reduce

import reversion
from django.db import transaction
from django.utils import timezone

from config.delivery.invalidation import SITE, invalidate

from .models import Article, BreakingNews, Gallery, published_condition


def save_article(article, user=None):
    """Saves a new or edited article (its text, state, section, photos), published or not.

    ``user`` is recorded as who created a new article and as who published one that moves into published.
    """
    with transaction.atomic():
        if article._state.adding:
            article.created_by = user
            status_before = None
        else:
            status_before = Article.objects.filter(pk=article.pk).values_list("status", flat=True).first()
        if article.status == Article.Status.PUBLISHED and status_before != Article.Status.PUBLISHED:
            article.published_by = user
        article.fill_hero_from_lead_gallery()
        article.save()
        invalidate(SITE)


def save_article_relations(article, save_relations):
    """Saves what the article form keeps beside the row (byline, tags): ``save_relations()`` writes them."""
    with transaction.atomic():
        save_relations()
        invalidate(SITE)


def publish_now(article_ids, user=None):
    """Publishes these articles as of now, by ``user``; returns how many."""
    with transaction.atomic():
        count = Article.objects.filter(pk__in=article_ids).update(
            status=Article.Status.PUBLISHED, published_at=timezone.now(), published_by=user
        )
        invalidate(SITE)
    return count


def withdraw(article_ids, note="", notice="", user=None):
    """Takes these articles off the site; returns how many.

    Those live at this moment get ``withdrawn_at``: their address then tells readers the article was withdrawn
    (with ``notice``, if given); the others (drafts, scheduled) answer like missing ones. ``note`` is for the
    newsroom only. Each article's history gets a version saying so.
    """
    with transaction.atomic():
        articles = Article.objects.filter(pk__in=article_ids)
        articles.filter(published_condition()).update(withdrawn_at=timezone.now())
        count = articles.update(
            status=Article.Status.WITHDRAWN, withdrawal_note=note, withdrawal_notice=notice
        )
        with reversion.create_revision():
            if user is not None:
                reversion.set_user(user)
            reversion.set_comment(f"Povučeno sa sajta: {note}" if note else "Povučeno sa sajta.")
            for article in Article.objects.filter(pk__in=article_ids):
                reversion.add_to_revision(article)
        invalidate(SITE)
    return count


def move_to_section(article_ids, section):
    """Moves these articles into ``section`` (their addresses change); returns how many."""
    with transaction.atomic():
        count = Article.objects.filter(pk__in=article_ids).update(section=section)
        invalidate(SITE)
    return count


def save_shown(obj):
    """Saves a section, author, tag, photo, the site settings or a Cyrillic exception: pages show each."""
    with transaction.atomic():
        obj.save()
        invalidate(SITE)


def save_shown_photos(images):
    """Saves several photos at once (the library's details screen): all of them or, on an error, none."""
    with transaction.atomic():
        for image in images:
            image.save()
        invalidate(SITE)


def store_awaiting_photo(image):
    """Stores a bulk-uploaded photo that awaits its description: no page may show it yet, so none is told."""
    if not image.awaiting_details:
        raise ValueError("Only a photo awaiting its description is stored without telling the pages.")
    image.save()


def delete_shown(objects):
    """Deletes articles, sections, authors, tags, photos or Cyrillic exceptions (a query set or a list).

    What references them goes too or loses them (an article's section is protected; a photo or author is
    set null or its rows cascade): any page may have shown either, so every page is made again.
    """
    with transaction.atomic():
        if hasattr(objects, "delete"):
            objects.delete()
        else:
            for obj in objects:
                obj.delete()
        invalidate(SITE)


def save_gallery(gallery, save_items, user=None):
    """Saves a new or edited gallery and its photos (``save_items()`` writes them), all or nothing.

    ``user`` is recorded as who made a new gallery. The pages are told only if an article shows the gallery
    (as its lead or in the body): a gallery no article shows yet is on no page.
    """
    with transaction.atomic():
        if gallery._state.adding:
            gallery.created_by = user
        gallery.save()
        save_items()
        if Article.objects.using_gallery(gallery.pk).exists():
            invalidate(SITE)


def delete_galleries(galleries):
    """Deletes galleries (a query set or a list); articles showing one lose it (their pages are told)."""
    with transaction.atomic():
        ids = [gallery.pk for gallery in galleries]
        shown = ids and reduce(operator.or_, (Article.objects.using_gallery(pk) for pk in ids)).exists()
        Gallery.objects.filter(pk__in=ids).delete()
        if shown:
            invalidate(SITE)


def save_note(note, user=None):
    """Saves a correction or a reply on a published article: the article reads as updated at the note's time
    (the header's "Ažurirano", the JSON-LD's dateModified) and its history gets a version saying so."""
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=note.article_id)
        if note._state.adding:
            note.created_by = user
        note.save()
        _mark_updated(article, note.published_at, user, f"{note.get_kind_display()} uz članak.")
        invalidate(SITE)


def delete_notes(notes, user=None):
    """Deletes corrections or replies (a query set or a list); their articles read as updated now."""
    with transaction.atomic():
        notes = list(notes)
        article_ids = {note.article_id for note in notes}
        for note in notes:
            note.delete()
        now = timezone.now()
        for article in Article.objects.select_for_update().filter(pk__in=article_ids):
            _mark_updated(article, now, user, "Uklonjena ispravka ili odgovor.")
        invalidate(SITE)


def _mark_updated(article, moment, user, comment):
    """Moves the article's update time to ``moment`` (never back) and records a version."""
    if article.updated_at is None or moment > article.updated_at:
        article.updated_at = moment
        Article.objects.filter(pk=article.pk).update(updated_at=moment)
    with reversion.create_revision():
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(comment)
        reversion.add_to_revision(article)

def save_breaking_news(strip, user=None):
    """Saves the "Najnovije" strip; ``user`` is recorded as who entered a new one. Every page shows it."""
    with transaction.atomic():
        if strip._state.adding:
            strip.created_by = user
        strip.save()
        invalidate(SITE)


def switch_breaking_news(strips, is_active):
    """Switches these strips on or off (a query set); returns how many."""
    with transaction.atomic():
        count = strips.update(is_active=is_active, modified_at=timezone.now())
        invalidate(SITE)
    return count


def delete_breaking_news(strips):
    """Deletes strips (a query set or a list); a shown one leaves every page."""
    with transaction.atomic():
        BreakingNews.objects.filter(pk__in=[strip.pk for strip in strips]).delete()
        invalidate(SITE)
