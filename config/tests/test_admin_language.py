"""Every admin page reads in Serbian: no English message id shows, names take the right case and count.

The pages come from the admin's own URL lists (every registered model's list, add, change, delete and history
pages and every custom admin address that takes nothing or an object's id), the two-factor pages, the password
change and the sign-out page, for an administrator, an editor (urednik) and a moderator. The English
comes from the message ids of Django's catalogues and of each installed package's (an untranslated one shows
as itself), and from the packages' model and field names. One assertion lists every offending string with its
page and role, and whose catalogue it is: Django's (ours to override in config/locale) or a package's.
"""

import json
import re
from functools import cache
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import django
import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import ngettext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.models import TransliterationException
from articles.tests.factories import ArticleFactory, SectionFactory, TagFactory
from comments.tests.test_access_matrix import MODEL_ACCESS, World
from config import urls as project_urls
from config.admin_language import NOUNS

pytestmark = pytest.mark.django_db

ROLES = {"administrator": None, "urednik": "Urednici", "moderator": "Moderatori"}
USERNAMES = {"administrator": "jelena", "urednik": "marko", "moderator": "vesna"}  # no English word

# Message ids that are not English words to a reader, or read the same in Serbian; each with its reason.
ALLOWED = {
    "ID": "an abbreviation Serbian uses as is",
    "URL": "an abbreviation Serbian uses as is",
    "IP": "an abbreviation Serbian uses as is",
    "TOTP": "the name of the method",
    "Django": "a name",
    "Status": "a Serbian word too",
    "moderator": "a Serbian word too",
}

# Pages the administrator does not get as a page, and why (the access matrix checks who gets what).
NOT_PAGES = {
    "admin:login": "checked signed out, where it is seen",
    "admin:jsi18n": "the JavaScript catalogue, not a page",
    "admin:autocomplete": "JSON for a select box; needs its field's parameters",
    "admin:otp_totp_totpdevice_config": "nobody reads another's secret (OTP_ADMIN_HIDE_SENSITIVE_DATA)",
    "admin:otp_totp_totpdevice_qrcode": "nobody reads another's secret (OTP_ADMIN_HIDE_SENSITIVE_DATA)",
    "two_factor:qr": "an image, only during setup",
}

JSON_TYPES = ("application/json",)
SKIPPED_TAGS = {"script", "style"}
CHECKED_ATTRIBUTES = {"title", "aria-label", "placeholder"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\w*\}")
WORD = re.compile(r"[A-Za-z]{2,}")
# A permission's name is stored in English ("Can add članak", a package's "Can moderate comments").
PERMISSION_IN_ENGLISH = re.compile(r"\| Can [a-z]+ ")


def normalized(text):
    return re.sub(r"\s+", " ", text).strip().rstrip(":").strip()


# -- the English to look for --------------------------------------------------------------------------------


def catalogue_sources():
    """(owner, locale directory) for Django's core and installed contrib apps, and each installed package."""
    django_root = Path(django.__file__).parent
    site_packages = django_root.parent
    sources = [("Django", django_root / "conf" / "locale")]
    packages = set()
    for config in apps.get_app_configs():
        if config.name.startswith("django.contrib."):
            sources.append(("Django", Path(config.path) / "locale"))
        elif Path(config.path).is_relative_to(site_packages):
            packages.add(config.name.split(".")[0])
    for package in sorted(packages):
        sources += [(f"package {package}", locale) for locale in (site_packages / package).rglob("locale")]
    return [(owner, path) for owner, path in sources if path.is_dir()]


def source_catalogues(locale):
    """The English catalogue of a locale directory, or all its catalogues when it ships none."""
    english = list((locale / "en" / "LC_MESSAGES").glob("django.po"))
    return english or sorted(locale.glob("*/LC_MESSAGES/django.po"))


@cache
def same_in_serbian():
    """Message ids some Serbian catalogue (a package's, Django's or ours) translates as themselves."""
    same = set()
    serbian = [Path(settings.BASE_DIR) / "config" / "locale"] + [path for _, path in catalogue_sources()]
    for locale in serbian:
        for po in locale.glob("sr*/LC_MESSAGES/django.po"):
            same |= {entry.msgid for entry in polib.pofile(str(po)) if entry.msgstr == entry.msgid}
    return same


def catalogue_ids():
    """(owner, msgid) of every message in the catalogues."""
    for owner, locale in catalogue_sources():
        for po in source_catalogues(locale):
            for entry in polib.pofile(str(po)):
                for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
                    yield owner, msgid


def model_ids():
    """(owner, text) of the packages' models' names and field labels, in English: some have no catalogue."""
    with translation.override(None):
        yield from _model_ids()


def _model_ids():
    for model in admin.site._registry:
        module = model.__module__.split(".")[0]
        if module in ("articles", "comments"):
            continue
        owner = "Django" if module == "django" else f"package {module}"
        yield owner, str(model._meta.verbose_name)
        yield owner, str(model._meta.verbose_name_plural)
        for field in model._meta.get_fields():
            for text in (getattr(field, "verbose_name", ""), getattr(field, "help_text", "")):
                if text:
                    yield owner, str(text)


@cache
def english_ids():
    """{msgid in lower case: (msgid, owners)} for whole texts, [(regex, msgid, owners)] for those with blanks.

    Looked for in any case: a label shows "Name" for the field named "name".
    """
    owners, shown_as = {}, {}
    for owner, msgid in [*catalogue_ids(), *model_ids()]:
        literal = PLACEHOLDER.sub(" ", msgid)
        if msgid in same_in_serbian() or msgid in ALLOWED or not WORD.search(literal):
            continue
        key = normalized(msgid) if PLACEHOLDER.search(msgid) else normalized(msgid).lower()
        owners.setdefault(key, set()).add(owner)
        shown_as.setdefault(key, msgid)
    plain, patterns = {}, []
    for key, found_in in owners.items():
        msgid, who = shown_as[key], ", ".join(sorted(found_in))
        if not PLACEHOLDER.search(msgid):
            plain[key] = (msgid, who)
            continue
        parts = PLACEHOLDER.split(key)
        patterns.append(
            (re.compile(".+?".join(re.escape(part) for part in parts), re.IGNORECASE), msgid, who)
        )
    return plain, patterns


def english_in(text):
    """(msgid, owners) when ``text`` is an untranslated message id, whole or with its blanks filled."""
    text = normalized(text)
    if not text or not WORD.search(text):
        return None
    plain, patterns = english_ids()
    if text.lower() in plain:
        return plain[text.lower()]
    for regex, msgid, owners in patterns:
        if regex.fullmatch(text):
            return msgid, owners
    return None


# -- what a page shows --------------------------------------------------------------------------------------


class ShownText(HTMLParser):
    """Visible text nodes, and the attributes and button values a reader or a screen reader meets."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.found = []  # (where, text)

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        attrs = dict(attrs)
        for name in CHECKED_ATTRIBUTES & attrs.keys():
            self.found.append((f"{tag}[{name}]", attrs[name] or ""))
        if tag == "input" and attrs.get("type") in {"submit", "button", "reset"}:
            self.found.append((f"input[{attrs.get('type')}] value", attrs.get("value") or ""))

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.found.append(("text", data))


def shown_texts(response):
    if response["Content-Type"].startswith(JSON_TYPES):
        return [("JSON message", value) for value in json_strings(json.loads(response.content))]
    parser = ShownText()
    parser.feed(response.content.decode())
    return parser.found


def json_strings(value):
    if isinstance(value, dict):
        return [
            text
            for key in ("error", "message", "detail")
            if isinstance(value.get(key), str)
            for text in [value[key]]
        ]
    return []


def offences(response, role, page):
    found = []
    for where, text in shown_texts(response):
        english = english_in(text)
        if PERMISSION_IN_ENGLISH.search(text):
            found.append(f"permission | {role} | {page} | {where}: {normalized(text)!r}")
        elif english:
            msgid, owner = english
            found.append(f"{owner} | {role} | {page} | {where}: {normalized(text)!r} (msgid {msgid!r})")
    body = response.content.decode()
    if "objekat klase" in body.lower():
        found.append(f"Django | {role} | {page} | 'objekat klase' in the page")
    return found


# -- the pages ----------------------------------------------------------------------------------------------


@pytest.fixture
def users(django_user_model):
    made = {}
    for role, group in ROLES.items():
        user = django_user_model.objects.create_user(
            USERNAMES[role], password="x", is_staff=True, is_superuser=group is None
        )
        if group:
            user.groups.add(Group.objects.get(name=group))
        made[role] = user
    return made


@pytest.fixture
def clients(users):
    made = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        if (
            role == "administrator"
        ):  # signed in with the app, so the backup codes and switching it off open too
            device = TOTPDevice.objects.create(user=user, name="Telefon", confirmed=True)
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        made[role] = client
    return made


def parameters(pattern):
    """The address's named parts; a part without a name counts as one ("?") the sweep cannot fill."""
    regex = pattern.pattern.regex
    return set(regex.groupindex) | ({"?"} if regex.groups > len(regex.groupindex) else set())


def refused_by_policy(label, suffix):
    """Nobody adds or deletes these by hand, not even an administrator (see the access matrix)."""
    access = MODEL_ACCESS[label]
    return (suffix == "add" and "superuser" not in access.add) or (
        suffix == "delete" and "superuser" not in access.delete
    )


def query_for(name, world):
    """What a page that works on a selection is opened with (it answers 400 without one)."""
    if name == "admin:articles_image_batch_details":  # the details screen of a bulk upload
        return f"?ids={world.awaiting_image.pk}"
    return ""


def admin_pages(world):
    """(label, URL name, address) for every admin page that takes nothing or an object's id."""
    pages = []
    for pattern in admin.site.get_urls():
        if isinstance(pattern, URLPattern) and pattern.name and not parameters(pattern):
            pages.append((pattern.name, f"admin:{pattern.name}", reverse(f"admin:{pattern.name}")))
    for label in sorted({model._meta.app_label for model in admin.site._registry}):
        pages.append((f"group {label}", "admin:app_list", reverse("admin:app_list", args=[label])))
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        instance = getattr(world, MODEL_ACCESS[label].instance)
        for pattern in model_admin.get_urls():
            if not isinstance(pattern, URLPattern) or not pattern.name:
                continue
            name, suffix = f"admin:{pattern.name}", pattern.name.rsplit("_", 1)[-1]
            if refused_by_policy(label, suffix):
                continue
            if not parameters(pattern):
                pages.append((pattern.name, name, reverse(name) + query_for(name, world)))
            elif parameters(pattern) == {"object_id"}:
                address = reverse(name, args=[instance.pk])
                if suffix == "compare":  # reversion-compare's page compares two versions
                    old, new = world.versions(instance)
                    address += f"?version_id1={old.pk}&version_id2={new.pk}"
                pages.append((pattern.name, name, address))
    for pattern in project_urls.two_factor_urls:
        pages.append((pattern.name, f"two_factor:{pattern.name}", reverse(f"two_factor:{pattern.name}")))
    return [page for page in pages if page[1] not in NOT_PAGES]


def test_every_admin_page_reads_in_serbian(users, clients):
    world = World(
        {"superuser": users["administrator"], "editor": users["urednik"], "moderator": users["moderator"]}
    )
    found, unopened = [], []
    anonymous = Client()
    found += offences(anonymous.get(reverse("admin:login")), "anonymous", reverse("admin:login"))
    for label, _name, address in admin_pages(world):
        for role, client in clients.items():
            response = client.get(address, follow=True)
            landed = response.redirect_chain[-1][0] if response.redirect_chain else address
            if response.status_code == 405:  # answers POST only: an endpoint, not a page
                continue
            if response.status_code != 200 or landed.startswith(reverse("admin:login")):
                if role == "administrator":
                    unopened.append(f"{label} ({address}): {response.status_code}, at {landed}")
                continue
            found += offences(response, role, f"{label} {address}")
    for role, client in clients.items():
        signed_out = client.post(reverse("admin:logout"))
        found += offences(signed_out, role, "sign-out page")
    report = sorted(set(found))
    assert not unopened, "The administrator could not open:\n" + "\n".join(unopened)
    assert not report, (
        f"{len(report)} English strings (owner | role | page | where: text). Django's are ours to translate; "
        "a package's in the packages' section of the catalogue; a permission's name is looked up in the "
        "catalogue with its stored English name as the msgid:\n" + "\n".join(report)
    )


# -- names in the right case and count ----------------------------------------------------------------------


@pytest.fixture
def administrator(users):
    client = Client()
    client.force_login(users["administrator"])
    return client


def page_text(response):
    return " ".join(normalized(text) for where, text in shown_texts(response) if where == "text")


# 1 izuzetak, 2 izuzetka, 5 izuzetaka: a masculine name, whose three forms all differ.
COUNTED = {1: "izuzetak", 2: "izuzetka", 5: "izuzetaka", 21: "izuzetak", 22: "izuzetka", 25: "izuzetaka"}


def exceptions(count):
    """Exactly ``count`` of them: the list's own rows (a data migration brings some) go first."""
    TransliterationException.objects.all().delete()
    return [TransliterationException.objects.create(text=f"Reuters-{number}") for number in range(count)]


@pytest.mark.parametrize("count", COUNTED, ids=lambda count: f"{count} objects")
def test_the_list_counts_with_the_serbian_plural_form(administrator, count):
    exceptions(count)
    page = page_text(administrator.get(reverse("admin:articles_transliterationexception_changelist")))
    assert f"{count} {COUNTED[count]} od preslovljavanja" in page
    assert f"0 od {count} izabrano" in page


@pytest.mark.parametrize("count", COUNTED, ids=lambda count: f"{count} objects")
def test_deleting_a_selection_asks_and_reports_in_serbian(administrator, count):
    chosen = [item.pk for item in exceptions(count)]
    address = reverse("admin:articles_transliterationexception_changelist")
    asked = administrator.post(address, {"action": "delete_selected", "_selected_action": chosen})
    chosen_words = "izabrani izuzetak" if count == 1 else "izabrane izuzetke"
    assert f"obrišete {chosen_words} od preslovljavanja?" in page_text(asked)

    done = administrator.post(
        address, {"action": "delete_selected", "_selected_action": chosen, "post": "yes"}, follow=True
    )
    assert f"Uspešno obrisano: {count} {COUNTED[count]} od preslovljavanja." in page_text(done)
    assert not TransliterationException.objects.filter(pk__in=chosen).exists()


def test_the_action_menu_names_what_it_deletes_in_the_accusative(administrator):
    SectionFactory()
    page = page_text(administrator.get(reverse("admin:articles_section_changelist")))
    assert "Obriši izabrane rubrike" in page


TITLES = [
    ("admin:articles_article_add", None, "Dodaj članak"),
    ("admin:articles_image_add", None, "Dodaj fotografiju"),
    ("admin:articles_image_change", "image", "Izmeni fotografiju"),
    ("admin:articles_image_changelist", None, "Izaberite fotografiju za izmenu"),
    ("admin:articles_author_add", None, "Dodaj autora"),
    ("admin:articles_section_add", None, "Dodaj rubriku"),
    ("admin:auth_user_add", None, "Dodaj korisnika"),
    ("admin:auth_group_add", None, "Dodaj grupu"),
    ("admin:sites_site_changelist", None, "Izaberite sajt za izmenu"),
]


@pytest.mark.parametrize(("name", "instance", "title"), TITLES, ids=[title for *_, title in TITLES])
def test_titles_take_the_accusative(users, administrator, name, instance, title):
    world = World({"superuser": users["administrator"]})
    args = [getattr(world, instance).pk] if instance else []
    response = administrator.get(reverse(name, args=args))
    assert response.status_code == 200
    assert f"<h1>{title}</h1>" in response.content.decode()
    assert re.search(rf"<title>([^<|]+ \| )?{title} \|", response.content.decode())


def test_a_list_offers_to_add_in_the_accusative(administrator):
    page = page_text(administrator.get(reverse("admin:articles_image_changelist")))
    assert "Dodaj fotografiju" in page
    assert "Dodaj objekat" not in page


def test_a_list_that_may_only_be_viewed_says_so(users):
    moderator = Client()
    moderator.force_login(users["moderator"])
    page = page_text(moderator.get(reverse("admin:comments_decision_changelist")))
    assert "Izaberite odluku za pregled" in page


def test_the_delete_confirmation_names_the_object_in_the_accusative(users, administrator):
    image = World({"superuser": users["administrator"]}).image
    page = page_text(administrator.get(reverse("admin:articles_image_delete", args=[image.pk])))
    assert f"Da li ste sigurni da želite da obrišete fotografiju „{image}“?" in page


MESSAGES = [
    ("add", "Dodato: oznaka „Izbori“."),
    ("change", "Sačuvano: oznaka „Izbori“."),
    ("delete", "Obrisano: oznaka „Izbori“."),
]


@pytest.mark.parametrize(("step", "expected"), MESSAGES, ids=[step for step, _ in MESSAGES])
def test_messages_quote_names_the_serbian_way(administrator, step, expected):
    from articles.models import Tag

    fields = {"name": "Izbori", "slug": "izbori"}
    response = administrator.post(reverse("admin:articles_tag_add"), fields, follow=True)
    if step != "add":
        tag = Tag.objects.get(slug="izbori")
        if step == "change":
            response = administrator.post(
                reverse("admin:articles_tag_change", args=[tag.pk]), fields, follow=True
            )
        else:
            response = administrator.post(
                reverse("admin:articles_tag_delete", args=[tag.pk]), {"post": "yes"}, follow=True
            )
    shown = [strip_tags(str(message)) for message in response.context["messages"]]
    assert shown == [expected]
    quotes = re.findall(r"[„“”\"]", " ".join(shown))
    assert quotes == ["„", "“"] * (len(quotes) // 2)  # opened low, closed high, never "…" or “…”


def test_the_catalogue_names_and_counts_every_model_as_the_admin_does():
    """Django counts a name by ngettext(verbose_name, verbose_name_plural, n): "Izmenjeno: 5 rubrika".

    So each model's name and its plural entry in the catalogue agree with config/admin_language.py's table;
    the packages' names are translated in the packages' section of the catalogue.
    """
    wrong = []
    for model in admin.site._registry:
        opts, noun = model._meta, NOUNS[model._meta.label_lower]
        owner = "ours" if model.__module__.split(".")[0] in ("articles", "comments", "django") else "package"
        if str(opts.verbose_name) != noun.singular:
            wrong.append(
                f"{owner} | {opts.label}: named {str(opts.verbose_name)!r}, the table says {noun.singular!r}"
            )
        for count in COUNTED:
            counted = ngettext(str(opts.verbose_name), str(opts.verbose_name_plural), count)
            if counted != noun.counted(count):
                wrong.append(
                    f"{owner} | {opts.label}: {count} {counted!r}, not {count} {noun.counted(count)!r}"
                )
    assert not wrong, "\n".join(wrong)


# -- the index, the favicon, the sign-out --------------------------------------------------------------------


DAILY_USE = ["articles", "comments", "auth", "sites", "mailer", "axes", "otp_totp", "otp_static"]


def test_groups_come_in_the_order_of_daily_use_with_serbian_names(administrator):
    index = administrator.get(reverse("admin:index"))
    groups = index.context["app_list"]
    assert [group["app_label"] for group in groups] == DAILY_USE
    assert [group["name"] for group in groups[:3]] == ["Članci", "Komentari", "Korisnici i grupe"]
    assert [model["name"] for model in groups[0]["models"]][:2] == ["Članci", "Fotografije"]
    page = index.content.decode()
    assert page.index(">Članci<") < page.index(">Komentari<") < page.index(">Korisnici i grupe<")
    sidebar = administrator.get(reverse("admin:articles_tag_changelist")).context["available_apps"]
    assert [group["app_label"] for group in sidebar] == DAILY_USE


@pytest.mark.parametrize(
    "address",
    [
        lambda: reverse("admin:index"),
        lambda: reverse("admin:articles_tag_changelist"),
        lambda: reverse("admin:login"),
    ],
    ids=["index", "list", "sign-in"],
)
def test_admin_pages_carry_the_site_favicon(administrator, address):
    page = administrator.get(address()).content.decode()
    assert re.search(r'<link rel="icon" href="[^"]*favicon[^"]*\.svg"', page)


def test_the_sign_out_page_leads_back_to_the_site(administrator):
    page = administrator.post(reverse("admin:logout"))
    assert "Odjavili ste se" in page_text(page)
    assert f'href="{reverse("articles:home")}"' in page.content.decode()


def test_an_inline_adds_another_in_the_accusative(users, administrator):
    article = World({"superuser": users["administrator"]}).article
    page = administrator.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    inline = re.search(r'data-inline-formset="([^"]*)"', page)
    assert json.loads(unescape(inline.group(1)))["options"]["addText"] == "Dodaj još jednog autora članka"


def test_the_two_list_selector_reads_without_a_gender_it_cannot_know(administrator):
    catalogue = administrator.get(reverse("admin:jsi18n")).content.decode()
    assert '"Available %s": "Na raspolaganju: %s"' in catalogue  # not "Dostupni grupe"
    assert '"Chosen %s": "Izabrano: %s"' in catalogue


def test_delete_confirmations_name_the_tables_django_makes_for_many_to_many_fields(clients):
    """Deleting tags lists each article-tag link; Django would call it "Relacija article-tag: Article_tags
    object (10)"."""
    tag = TagFactory(name="Izbori")
    article = ArticleFactory(tags=[tag])
    response = clients["administrator"].post(
        reverse("admin:articles_tag_changelist"),
        {"action": "delete_selected", "_selected_action": [tag.pk]},
    )
    text = page_text(response)
    assert f"Veza (članak – oznaka): članak br. {article.pk} — oznaka br. {tag.pk}" in text
    assert "object (" not in text and "Relacija" not in text and "article-tag" not in text
