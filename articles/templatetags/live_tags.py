"""What a live blog's entries show (templates/articles/live/)."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe

from articles import embeds

register = template.Library()


@register.filter
def entry_time(moment):
    """An entry's time as the page says it: "14:05" today, "6. decembar, 14:05" on another day.

    Absolute, never "pre 5 minuta": the entries are kept in the cache (for at most a minute, so "today" is
    at most that old)."""
    local = timezone.localtime(moment)
    clock = local.strftime("%H:%M")
    if local.date() == timezone.localdate():
        return clock
    return f"{date_format(local, 'j. F')}, {clock}"


@register.simple_tag
def entry_embed(entry):
    """The entry's video or post as the body's click-to-load placeholder; nothing for an address we do not
    embed (the form refuses those; an entry saved another way shows none)."""
    try:
        key, embed_id = embeds.parse_address(entry.embed_url)
    except embeds.UnknownEmbed:
        return ""
    return mark_safe(embeds.render_placeholder(key, embed_id, entry.embed_title))
