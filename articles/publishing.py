"""The article form's publishing: its buttons, what each does to the workflow, and the state in words."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from .models import Article

# Serbian says "u utorak, 8. decembra": the weekday in the accusative and the month in the genitive, which
# Django's locale data does not have (its sr_Latn "E" is the nominative).
WEEKDAYS_ACCUSATIVE = ("ponedeljak", "utorak", "sredu", "četvrtak", "petak", "subotu", "nedelju")
MONTHS_GENITIVE = (
    "januara",
    "februara",
    "marta",
    "aprila",
    "maja",
    "juna",
    "jula",
    "avgusta",
    "septembra",
    "oktobra",
    "novembra",
    "decembra",
)

NO_PERMISSION = "Nemate dozvolu da objavljujete ili povlačite članke."
UNKNOWN_ACTION = "Ta radnja ne postoji; sačuvajte članak jednim od dugmadi u okviru „Objavljivanje“."
NOT_IN_FUTURE = "Za zakazivanje upišite datum i vreme objave u budućnosti."

# Each button's value and the status it gives; "save" keeps the state, "publish" and "schedule" set the time.
ACTIONS = {
    "save": None,
    "draft": Article.Status.DRAFT,
    "ready": Article.Status.READY,
    "publish": Article.Status.PUBLISHED,
    "schedule": Article.Status.PUBLISHED,
}
PUBLISHER_ACTIONS = {"publish", "schedule"}


@dataclass(frozen=True)
class Button:
    value: str
    label: str
    primary: bool = False


def day_and_time(moment):
    """"utorak, 8. decembra u 14.30" style words, in the site's time zone."""
    local = timezone.localtime(moment)
    return f"{local.day}. {MONTHS_GENITIVE[local.month - 1]} u {local.hour}.{local:%M}"


def state_in_words(article):
    """What the sidebar says first: the state and when it goes or went live, as an editor says it."""
    if article is None or article.pk is None or article.status == Article.Status.DRAFT:
        return "Nacrt — nije javno"
    if article.status == Article.Status.READY:
        return "Spremno za objavu — nije javno"
    if article.status == Article.Status.WITHDRAWN:
        if article.withdrawn_at:
            return f"Povučeno {day_and_time(article.withdrawn_at)} — nije javno"
        return "Povučeno — nije javno"
    if article.is_scheduled:
        weekday = WEEKDAYS_ACCUSATIVE[timezone.localtime(article.published_at).weekday()]
        return f"Zakazano: objavljuje se u {weekday}, {day_and_time(article.published_at)}"
    return f"Objavljeno {day_and_time(article.published_at)}"


def buttons(article, may_publish):
    """The form's submit buttons for this article's state; the first is what Enter in a field does."""
    status = article.status if article is not None and article.pk else Article.Status.DRAFT
    if status == Article.Status.DRAFT:
        shown = [Button("draft", "Sačuvaj nacrt", primary=True), Button("ready", "Spremno za objavu")]
    elif status == Article.Status.READY:
        shown = [Button("save", "Sačuvaj izmene", primary=True), Button("draft", "Vrati u nacrt")]
    else:
        shown = [Button("save", "Sačuvaj izmene", primary=True)]
        if may_publish and article.is_scheduled:
            shown.append(Button("draft", "Vrati u nacrt"))
    if may_publish and not (status == Article.Status.PUBLISHED and not article.is_scheduled):
        label = "Objavi ponovo odmah" if status == Article.Status.WITHDRAWN else "Objavi odmah"
        shown.append(Button("publish", label))
    return shown


def may_schedule(article, may_publish):
    """Whether the form offers "Zakaži objavu" (with the time): not for an article already live."""
    live = article is not None and article.status == Article.Status.PUBLISHED and not article.is_scheduled
    return may_publish and not live


def withdraw_url(article, may_publish):
    """The confirmation page for "Povuci sa sajta…", offered for a published or scheduled article."""
    if may_publish and article is not None and article.status == Article.Status.PUBLISHED:
        return reverse("admin:articles_article_withdraw", args=[article.pk])
    return None


def apply(action, cleaned_data, before, may_publish):
    """Puts the chosen button's state into ``cleaned_data``; returns {field or None: error} for refusals."""
    if action not in ACTIONS:
        return {None: UNKNOWN_ACTION}
    if action in PUBLISHER_ACTIONS and not may_publish:
        return {None: NO_PERMISSION}
    status = ACTIONS[action] or before
    if status != before and {status, before} & Article.PUBLIC_STATES and not may_publish:
        return {None: NO_PERMISSION}
    cleaned_data["status"] = status
    if action == "publish":
        cleaned_data["published_at"] = timezone.now()
    elif action == "schedule":
        when = cleaned_data.get("published_at")
        if when is None or when <= timezone.now():
            return {"published_at": NOT_IN_FUTURE}
    return {}
