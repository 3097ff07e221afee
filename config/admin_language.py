"""The admin's model names in Serbian cases, and the titles and messages built from them.

Django's admin builds its titles from one form of a model's name ("Add %s" with the nominative), which reads
"Dodaj objekat klase fotografija" in its Serbian catalogue. Each model shown in the admin has a row in
``NOUNS`` with the forms Serbian needs; ``SerbianNames``, mixed into every registered ModelAdmin by the
admin site (config/admin_site.py), puts them into the pages. Wording that needs no case or gender
("Sačuvano: fotografija „X“.") is in our catalogue, config/locale, as overrides of Django's msgids.
"""

import json
from dataclasses import dataclass
from functools import partial

from django.apps import apps
from django.contrib import messages
from django.contrib.admin import actions
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied
from django.utils.text import capfirst
from django.utils.translation import gettext as _

MASCULINE, MASCULINE_ANIMATE, FEMININE, NEUTER_PLURAL = "m", "m-animate", "f", "n-plural"

# "izabrani članak", "izabranog autora", "izabranu fotografiju", "izabrana podešavanja": one and many.
SELECTED = {
    MASCULINE: ("izabrani", "izabrane"),
    MASCULINE_ANIMATE: ("izabranog", "izabrane"),
    FEMININE: ("izabranu", "izabrane"),
    NEUTER_PLURAL: ("izabrana", "izabrana"),
}


# "Dodaj još jedan komentar", "još jednog autora", "još jednu fotografiju", "još jedna podešavanja".
ANOTHER = {
    MASCULINE: "još jedan",
    MASCULINE_ANIMATE: "još jednog",
    FEMININE: "još jednu",
    NEUTER_PLURAL: "još jedna",
}


def plural_form(count):
    """Which of Serbian's three forms follows ``count``: 0 for 1, 21, 31…; 1 for 2-4, 22-24…; 2 otherwise."""
    if count % 10 == 1 and count % 100 != 11:
        return 0
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return 1
    return 2


@dataclass(frozen=True)
class Noun:
    singular: str  # nominative: članak
    accusative: str  # Dodaj članak, Dodaj fotografiju, Dodaj autora
    plural: str  # nominative plural, the list's name: članci
    few: str  # after 2, 3, 4: 2 članka
    many: str  # after 5 and more, the genitive plural: 5 članaka
    accusative_plural: str  # Obriši izabrane članke
    gender: str

    def counted(self, count):
        """The form that follows the number: 1 članak, 2 članka, 5 članaka, 21 članak."""
        return (self.singular, self.few, self.many)[plural_form(count)]

    @property
    def another(self):
        return f"{ANOTHER[self.gender]} {self.accusative}"

    def selected(self, count):
        """ "izabranu fotografiju", "izabrane fotografije": what a delete confirmation asks about."""
        one, many = SELECTED[self.gender]
        return f"{one} {self.accusative}" if count == 1 else f"{many} {self.accusative_plural}"


def noun(singular, accusative, plural, few, many, accusative_plural, gender):
    return Noun(singular, accusative, plural, few, many, accusative_plural, gender)


def unchanging(name):
    """A name with one form for every case and count ("podešavanja sajta")."""
    return Noun(name, name, name, name, name, name, NEUTER_PLURAL)


# Keyed by the model's label in lower case, as ``Model._meta.label_lower``. The packages' models are here too,
# so the names their pages show agree with the catalogue's translations of their verbose names.
NOUNS = {
    # Čitaonica
    "articles.article": noun("članak", "članak", "članci", "članka", "članaka", "članke", MASCULINE),
    "articles.image": noun(
        "fotografija", "fotografiju", "fotografije", "fotografije", "fotografija", "fotografije", FEMININE
    ),
    "articles.section": noun("rubrika", "rubriku", "rubrike", "rubrike", "rubrika", "rubrike", FEMININE),
    "articles.author": noun("autor", "autora", "autori", "autora", "autora", "autore", MASCULINE_ANIMATE),
    "articles.tag": noun("oznaka", "oznaku", "oznake", "oznake", "oznaka", "oznake", FEMININE),
    "articles.articleauthor": noun(
        "autor članka",
        "autora članka",
        "autori članka",
        "autora članka",
        "autora članka",
        "autore članka",
        MASCULINE_ANIMATE,
    ),
    "articles.liveentry": noun(
        "unos uživo", "unos uživo", "unosi uživo", "unosa uživo", "unosa uživo", "unose uživo", MASCULINE
    ),
    "articles.gallery": noun(
        "galerija", "galeriju", "galerije", "galerije", "galerija", "galerije", FEMININE
    ),
    "articles.galleryitem": noun(
        "fotografija u galeriji",
        "fotografiju u galeriji",
        "fotografije u galeriji",
        "fotografije u galeriji",
        "fotografija u galeriji",
        "fotografije u galeriji",
        FEMININE,
    ),
    "articles.sitesettings": unchanging("podešavanja sajta"),
    "articles.articlenote": noun(
        "ispravka ili odgovor",
        "ispravku ili odgovor",
        "ispravke i odgovori",
        "ispravke ili odgovora",
        "ispravki i odgovora",
        "ispravke i odgovore",
        FEMININE,
    ),
    # A singleton: the list's name (the sidebar, the breadcrumbs) is the one impresum, not "Impresumi".
    "articles.impresum": noun(
        "impresum", "impresum", "impresum", "impresuma", "impresuma", "impresume", MASCULINE
    ),
    "articles.infopage": noun(
        "stranica sajta",
        "stranicu sajta",
        "stranice sajta",
        "stranice sajta",
        "stranica sajta",
        "stranice sajta",
        FEMININE,
    ),
    "articles.transliterationexception": noun(
        "izuzetak od preslovljavanja",
        "izuzetak od preslovljavanja",
        "izuzeci od preslovljavanja",
        "izuzetka od preslovljavanja",
        "izuzetaka od preslovljavanja",
        "izuzetke od preslovljavanja",
        MASCULINE,
    ),
    "articles.breakingnews": noun(
        "najnovija vest (traka)",
        "najnoviju vest (traka)",
        "najnovije vesti (traka)",
        "najnovije vesti (traka)",
        "najnovijih vesti (traka)",
        "najnovije vesti (traka)",
        FEMININE,
    ),
    "comments.articlecomment": noun(
        "komentar", "komentar", "komentari", "komentara", "komentara", "komentare", MASCULINE
    ),
    "comments.report": noun("prijava", "prijavu", "prijave", "prijave", "prijava", "prijave", FEMININE),
    "comments.ban": noun("zabrana", "zabranu", "zabrane", "zabrane", "zabrana", "zabrane", FEMININE),
    "comments.decision": noun("odluka", "odluku", "odluke", "odluke", "odluka", "odluke", FEMININE),
    "comments.commentsettings": unchanging("podešavanja komentara"),
    "comments.readerprofile": noun(
        "nalog čitaoca",
        "nalog čitaoca",
        "nalozi čitalaca",
        "naloga čitalaca",
        "naloga čitalaca",
        "naloge čitalaca",
        MASCULINE,
    ),
    # Django
    "auth.user": noun(
        "korisnik", "korisnika", "korisnici", "korisnika", "korisnika", "korisnike", MASCULINE_ANIMATE
    ),
    "auth.group": noun("grupa", "grupu", "grupe", "grupe", "grupa", "grupe", FEMININE),
    "sites.site": noun("sajt", "sajt", "sajtovi", "sajta", "sajtova", "sajtove", MASCULINE),
    # django-mailer
    "mailer.message": noun(
        "poruka za slanje",
        "poruku za slanje",
        "poruke za slanje",
        "poruke za slanje",
        "poruka za slanje",
        "poruke za slanje",
        FEMININE,
    ),
    "mailer.dontsendentry": noun(
        "adresa kojoj se ne šalje",
        "adresu kojoj se ne šalje",
        "adrese kojima se ne šalje",
        "adrese kojima se ne šalje",
        "adresa kojima se ne šalje",
        "adrese kojima se ne šalje",
        FEMININE,
    ),
    "mailer.messagelog": noun(
        "zapis o slanju",
        "zapis o slanju",
        "zapisi o slanju",
        "zapisa o slanju",
        "zapisa o slanju",
        "zapise o slanju",
        MASCULINE,
    ),
    # django-axes
    "axes.accessattempt": noun(
        "pokušaj prijave",
        "pokušaj prijave",
        "pokušaji prijave",
        "pokušaja prijave",
        "pokušaja prijave",
        "pokušaje prijave",
        MASCULINE,
    ),
    "axes.accesslog": noun(
        "zapis o prijavi",
        "zapis o prijavi",
        "zapisi o prijavama",
        "zapisa o prijavama",
        "zapisa o prijavama",
        "zapise o prijavama",
        MASCULINE,
    ),
    "axes.accessfailurelog": noun(
        "neuspela prijava",
        "neuspelu prijavu",
        "neuspele prijave",
        "neuspele prijave",
        "neuspelih prijava",
        "neuspele prijave",
        FEMININE,
    ),
    # django-otp
    "otp_totp.totpdevice": noun(
        "aplikacija za kodove (TOTP)",
        "aplikaciju za kodove (TOTP)",
        "aplikacije za kodove (TOTP)",
        "aplikacije za kodove (TOTP)",
        "aplikacija za kodove (TOTP)",
        "aplikacije za kodove (TOTP)",
        FEMININE,
    ),
    "otp_static.staticdevice": noun(
        "komplet rezervnih kodova",
        "komplet rezervnih kodova",
        "kompleti rezervnih kodova",
        "kompleta rezervnih kodova",
        "kompleta rezervnih kodova",
        "komplete rezervnih kodova",
        MASCULINE,
    ),
    "otp_static.statictoken": noun(
        "rezervni kod",
        "rezervni kod",
        "rezervni kodovi",
        "rezervna koda",
        "rezervnih kodova",
        "rezervne kodove",
        MASCULINE,
    ),
    # django-comments-xtd and django-contrib-comments
    "django_comments.comment": noun(
        "komentar", "komentar", "komentari", "komentara", "komentara", "komentare", MASCULINE
    ),
    "django_comments.commentflag": noun(
        "oznaka komentara",
        "oznaku komentara",
        "oznake komentara",
        "oznake komentara",
        "oznaka komentara",
        "oznake komentara",
        FEMININE,
    ),
    "django_comments_xtd.xtdcomment": noun(
        "komentar", "komentar", "komentari", "komentara", "komentara", "komentare", MASCULINE
    ),
    "django_comments_xtd.blacklisteddomain": noun(
        "zabranjeni domen",
        "zabranjeni domen",
        "zabranjeni domeni",
        "zabranjena domena",
        "zabranjenih domena",
        "zabranjene domene",
        MASCULINE,
    ),
    # django-reversion
    "reversion.revision": noun(
        "revizija", "reviziju", "revizije", "revizije", "revizija", "revizije", FEMININE
    ),
    "reversion.version": noun("verzija", "verziju", "verzije", "verzije", "verzija", "verzije", FEMININE),
}

# The admin's groups of models, in the order of daily use, with the names the index, the sidebar and the
# breadcrumbs show; apps not listed come after them.
APPS = {
    "articles": "Članci",
    "comments": "Komentari",
    "auth": "Korisnici i grupe",
    "sites": "Sajtovi",
    "mailer": "Odlazna pošta",
    "axes": "Zaštita prijave",
    "otp_totp": "Dvofaktorska prijava: aplikacije",
    "otp_static": "Dvofaktorska prijava: rezervni kodovi",
    # Not in the admin's index, but named in the lists of permissions.
    "django_comments": "Komentari: osnova",
    "django_comments_xtd": "Komentari: niti i potvrde",
    "reversion": "Istorijat verzija",
}

# Models in the order of daily use inside their group; models not listed come after them, by name.
MODEL_ORDER = [
    "articles.article",
    "articles.image",
    "articles.section",
    "articles.author",
    "articles.tag",
    "articles.articlenote",
    "articles.transliterationexception",
    "articles.sitesettings",
    "articles.impresum",
    "articles.infopage",
    "comments.articlecomment",
    "comments.report",
    "comments.ban",
    "comments.decision",
    "comments.commentsettings",
    "comments.readerprofile",
    "auth.user",
    "auth.group",
    "mailer.message",
    "mailer.messagelog",
    "mailer.dontsendentry",
    "axes.accessattempt",
    "axes.accessfailurelog",
    "axes.accesslog",
]


# Django's own permissions, "Can add članak" in the database: named by what they allow.
PERMISSION_ACTIONS = {"add": "dodavanje", "change": "izmena", "delete": "brisanje", "view": "pregled"}


def permission_label(permission):
    """A list of permissions shows "Članci | članci | dodavanje" where Django has "… | Can add članak"."""
    content_type = permission.content_type
    model = content_type.model_class()
    action = permission.codename.split("_", 1)[0]
    if model is not None and permission.codename == f"{action}_{model._meta.model_name}":
        name = PERMISSION_ACTIONS.get(action, _(permission.name))
    else:
        name = _(permission.name)  # a permission of its own: its name as given, or as the catalogue has it
    group = apps.get_app_config(content_type.app_label).verbose_name
    return f"{group} | {noun_for(model._meta).plural if model else content_type.model} | {name}"


def noun_for(opts):
    """The model's row, or one made from its verbose names (a model added without a row still works)."""
    known = NOUNS.get(opts.label_lower)
    if known:
        return known
    one, many = str(opts.verbose_name), str(opts.verbose_name_plural)
    return Noun(one, one, many, many, many, many, MASCULINE)


def delete_selected(modeladmin, request, queryset):
    """Django's action, with the counted name in its message and the chosen ones named in its question."""
    name = noun_for(modeladmin.opts)
    if request.POST.get("post"):
        _objects, _count, perms_needed, protected = modeladmin.get_deleted_objects(queryset, request)
        if not protected:
            if perms_needed:
                raise PermissionDenied
            count = len(queryset)
            if count:
                modeladmin.log_deletions(request, queryset)
                modeladmin.delete_queryset(request, queryset)
                message = _("Successfully deleted %(count)d %(items)s.")
                modeladmin.message_user(
                    request, message % {"count": count, "items": name.counted(count)}, messages.SUCCESS
                )
            return None
    response = actions.delete_selected(modeladmin, request, queryset)
    if getattr(response, "context_data", None) is not None:
        response.context_data["objects_name"] = name.selected(len(queryset))
    return response


class SerbianNames:
    """Titles, counts and the delete action of a ModelAdmin in the cases Serbian needs (see ``NOUNS``).

    Django's msgids stay ("Add %s"); our catalogue words them for the accusative this passes in.
    """

    @property
    def noun(self):
        return noun_for(self.opts)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        if context and "cl" in context:
            changelist = context["cl"]
            if IS_POPUP_VAR in request.GET:
                title = _("Select %s")
            elif self.has_change_permission(request):
                title = _("Select %s to change")
            else:
                title = _("Select %s to view")
            if context.get("title") == changelist.title:  # not a title of the ModelAdmin's own
                changelist.title = context["title"] = title % self.noun.accusative
            changelist.noun = self.noun  # the object tools' "Dodaj …" and the paginator's count
            changelist.counted_name = self.noun.counted(changelist.result_count)
            context["module_name"] = changelist.counted_name  # "Izaberi sve: 21 članak"
        return response

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        for msgid in ("Add %s", "Change %s", "View %s"):
            if context.get("title") == _(msgid) % self.opts.verbose_name:
                context["title"] = _(msgid) % self.noun.accusative
        return super().render_change_form(request, context, add, change, form_url, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if formfield is not None and db_field.related_model._meta.label_lower == "auth.permission":
            formfield.label_from_instance = permission_label
        return formfield

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        found = super().get_inline_formsets(request, formsets, inline_instances, obj)
        for inline in found:
            data = json.loads(inline.inline_formset_data())
            another = noun_for(inline.opts.opts).another  # the inline's model
            data["options"]["addText"] = _("Add another %(verbose_name)s") % {"verbose_name": another}
            inline.inline_formset_data = partial(json.dumps, data)  # "Dodaj još jednog autora članka"
        return found

    def delete_view(self, request, object_id, extra_context=None):
        response = super().delete_view(request, object_id, extra_context)
        context = getattr(response, "context_data", None)
        if context and "object_name" in context:
            context["object_name"] = self.noun.accusative  # "obrišete fotografiju „Reka“"
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        context = getattr(response, "context_data", None)
        if context and "module_name" in context:
            context["module_name"] = capfirst(self.noun.plural)
        return response

    def get_actions(self, request):
        found = super().get_actions(request)
        if "delete_selected" in found:
            chosen = f"{SELECTED[self.noun.gender][1]} {self.noun.accusative_plural}"
            description = _("Delete selected %(verbose_name_plural)s") % {"verbose_name_plural": chosen}
            found["delete_selected"] = (delete_selected, "delete_selected", description)
        return found


def describe_link(link):
    """A row of a many-to-many table, as a delete confirmation lists it: "članak br. 10 — oznaka br. 8"."""
    ends = [field for field in link._meta.fields if field.is_relation]
    return " — ".join(
        f"{end.related_model._meta.verbose_name} br. {end.value_from_object(link)}" for end in ends
    )


def name_links():
    """Names the tables Django makes for many-to-many fields (an article's tags, a user's groups), which the
    delete confirmations list as "Relacija article-tag: Article_tags object (10)"."""
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.auto_created:
            continue
        first, second = (
            field.related_model._meta.verbose_name for field in model._meta.fields if field.is_relation
        )
        model._meta.verbose_name = f"veza ({first} – {second})"
        model._meta.verbose_name_plural = f"veze ({first} – {second})"
        model.__str__ = describe_link
