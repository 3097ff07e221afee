"""The packages' admin pages speak Serbian: no English from django-axes, django-mailer, django-otp,
django-two-factor-auth, django-reversion(-compare), django-comments-xtd or django-contrib-comments shows.

The English to look for is what the packages would show untranslated: every msgid of their own catalogues (any
language), and the labels they never pass through gettext (field names, help texts, choices, model and app
names, read with translation off). config/package_admin.py and our catalogue translate them.
"""

import glob
import re
from pathlib import Path

import polib
import pytest
import reversion
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from mailer.models import RESULT_SUCCESS, DontSendEntry, Message, MessageLog
from reversion.models import Version

from articles.tests.factories import ArticleFactory, ImageFactory, jpeg_bytes
from articles.tests.test_interface_language import visible_text
from comments.tests.factories import ArticleCommentFactory

pytestmark = pytest.mark.django_db

# The packages' modules, whose catalogues hold the English they show.
PACKAGES = [
    "axes",
    "mailer",
    "django_otp",
    "two_factor",
    "reversion",
    "reversion_compare",
    "django_comments_xtd",
    "django_comments",
    "solo",
    "formtools",
]
# The apps whose models' labels an admin page shows (our comment admin shows the comment packages' fields).
LABELLED_APPS = ["axes", "mailer", "otp_totp", "otp_static", "django_comments_xtd", "django_comments"]
PLACEHOLDER = re.compile(r"%(\(\w+\))?[sdif]|\{\w*\}")
# Texts Serbian writes the same way; every other one the packages show must be in our catalogue.
SAME_IN_SERBIAN = {"ID", "moderator", "t0", "YubiKey", "DATETIME_FORMAT", "OK", "URL", "HOTP", "TOTP"}


def normalized(text):
    """As a page shows it, give or take Django's capitalisation and a label's colon."""
    return " ".join(str(text).split()).rstrip(":").strip().casefold()


def catalogue_msgids():
    ids = set()
    for package in PACKAGES:
        module = __import__(package)
        for path in glob.glob(str(Path(module.__file__).parent / "**" / "django.po"), recursive=True):
            for entry in polib.pofile(path):
                ids.add(entry.msgid)
                if entry.msgid_plural:
                    ids.add(entry.msgid_plural)
    return ids


def unwrapped_labels():
    """The models' labels as the packages wrote them, whether or not through gettext.

    The apps' own names are not among them: config/admin_language.py names every app in Serbian.
    """
    labels = set()
    with translation.override(None):
        for label in LABELLED_APPS:
            for model in apps.get_app_config(label).get_models():
                opts = model._meta
                labels |= {str(opts.verbose_name), str(opts.verbose_name_plural)}
                for field in opts.local_fields:
                    labels |= {str(field.verbose_name), str(field.help_text)}
                    labels |= {str(name) for _, name in field.flatchoices}
    return labels


@pytest.fixture(scope="module")
def english():
    """The packages' English texts without placeholders, as a page would show them."""
    return {
        normalized(text)
        for text in catalogue_msgids() | unwrapped_labels()
        if len(normalized(text)) > 1 and not PLACEHOLDER.search(text) and str(text) not in SAME_IN_SERBIAN
    }


def untranslated(html, english):
    return sorted({normalized(part) for part in visible_text(html).split("\n")} & english)


@pytest.fixture
def administrator(django_user_model):
    user = django_user_model.objects.create_superuser("glavni", "glavni@example.org", "x")
    device = TOTPDevice.objects.create(user=user, name="Telefon", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id  # signed in with the app, as the admin asks
    session.save()
    return client


@pytest.fixture
def objects(django_user_model):
    """One object of each package model the administrator opens, with Serbian data."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    message = Message()
    message.email = EmailMessage("Potvrda adrese", "Tekst.", "redakcija@example.org", ["citalac@example.org"])
    message.save()
    editor = django_user_model.objects.create_user("urednica", password="x", is_staff=True)
    codes = StaticDevice.objects.create(user=editor, name="Rezerva")
    codes.token_set.create(token="k7m2p9q4")
    return {
        "mailer.message": message,
        "mailer.messagelog": MessageLog.objects.log(message, RESULT_SUCCESS),
        "mailer.dontsendentry": DontSendEntry.objects.create(
            to_address="ne-salji@example.org", when_added=timezone.now()
        ),
        "axes.accessattempt": AccessAttempt.objects.create(
            username="urednica", ip_address="198.51.100.7", user_agent="Pregledač", failures_since_start=2
        ),
        "axes.accesslog": AccessLog.objects.create(
            username="urednica", ip_address="198.51.100.7", user_agent="Pregledač"
        ),
        "axes.accessfailurelog": AccessFailureLog.objects.create(
            username="urednica", ip_address="198.51.100.7", user_agent="Pregledač"
        ),
        "otp_totp.totpdevice": TOTPDevice.objects.create(user=editor, name="Telefon", confirmed=True),
        "otp_static.staticdevice": codes,
        "comments.articlecomment": ArticleCommentFactory(comment="Dobra vest za ceo kraj."),
    }


# django-axes' records are written by sign-ins only: no add page.
PACKAGE_MODELS = {
    "mailer.message": ["changelist", "add", "change", "history", "delete"],
    "mailer.messagelog": ["changelist", "add", "change", "history", "delete"],
    "mailer.dontsendentry": ["changelist", "add", "change", "history", "delete"],
    "axes.accessattempt": ["changelist", "change", "history", "delete"],
    "axes.accesslog": ["changelist", "change", "history", "delete"],
    "axes.accessfailurelog": ["changelist", "change", "history", "delete"],
    "otp_totp.totpdevice": ["changelist", "add", "change", "history", "delete"],
    "otp_static.staticdevice": ["changelist", "add", "change", "history", "delete"],
    # The comment packages' fields, on our comment admin.
    "comments.articlecomment": ["changelist", "change"],
}
MODEL_PAGES = [
    pytest.param(label, view, id=f"{label}-{view}")
    for label, views in PACKAGE_MODELS.items()
    for view in views
]


# Not "page": that name is Playwright's page fixture, and asking for it would make these browser tests.
@pytest.mark.parametrize(("label", "view"), MODEL_PAGES)
def test_package_model_pages_show_no_english(administrator, objects, english, label, view):
    app_label, model_name = label.split(".")
    args = [] if view in ("changelist", "add") else [objects[label].pk]
    response = administrator.get(reverse(f"admin:{app_label}_{model_name}_{view}", args=args))
    assert response.status_code == 200
    assert untranslated(response.content.decode(), english) == []


def versioned_article():
    with reversion.create_revision():
        article = ArticleFactory(title="Most na Savi otvoren za saobraćaj")
    with reversion.create_revision():
        article.title = "Most na Savi otvoren za sav saobraćaj"
        article.save()
    return article, list(Version.objects.get_for_object(article).order_by("pk"))


def history():
    article, _ = versioned_article()
    return reverse("admin:articles_article_history", args=[article.pk])


def compare():
    article, (old, new) = versioned_article()
    url = reverse("admin:articles_article_compare", args=[article.pk])
    return f"{url}?version_id1={old.pk}&version_id2={new.pk}"


def revert():
    article, (old, _) = versioned_article()
    return reverse("admin:articles_article_revision", args=[article.pk, old.pk])


def recover():
    with reversion.create_revision():
        image = ImageFactory(file=ContentFile(jpeg_bytes(120, 80), name="foto.jpg"))
    image.delete()
    return reverse("admin:articles_image_recover", args=[Version.objects.get_deleted(type(image)).get().pk])


OTHER_PAGES = [
    pytest.param(lambda: reverse("admin:index"), id="admin-index"),
    pytest.param(lambda: reverse("admin:app_list", args=["axes"]), id="app-axes"),
    pytest.param(lambda: reverse("admin:app_list", args=["mailer"]), id="app-mailer"),
    pytest.param(lambda: reverse("admin:app_list", args=["otp_totp"]), id="app-otp-totp"),
    pytest.param(lambda: reverse("two_factor:profile"), id="two-factor-profile"),
    pytest.param(lambda: reverse("two_factor:setup"), id="two-factor-setup"),
    pytest.param(lambda: reverse("two_factor:backup_tokens"), id="two-factor-backup-codes"),
    pytest.param(lambda: reverse("two_factor:disable"), id="two-factor-disable"),
    pytest.param(history, id="history"),
    pytest.param(compare, id="compare"),
    pytest.param(revert, id="revert"),
    pytest.param(lambda: reverse("admin:articles_image_recoverlist"), id="deleted-list"),
    pytest.param(recover, id="recover"),
]


@pytest.mark.parametrize("url", OTHER_PAGES)
def test_package_pages_show_no_english(administrator, english, url):
    response = administrator.get(url())
    assert response.status_code == 200
    assert untranslated(response.content.decode(), english) == []


@pytest.mark.parametrize(
    ("url", "labels"),
    [
        pytest.param(
            "/admin/",
            [
                "Zaštita prijave",
                "Pokušaji prijave",
                "Neuspele prijave",
                "Zapisi o prijavama",
                "Odlazna pošta",
                "Adrese kojima se ne šalje",
                "Aplikacije za kodove (TOTP)",
                "Kompleti rezervnih kodova",
            ],
            id="index",
        ),
        pytest.param(
            "/admin/mailer/message/",
            [
                "„Potvrda adrese“ za citalac@example.org",
                "Primaoci",
                "Naslov",
                "Dodato u red",
                "Prioritet",
                "Pošalji izabrane poruke",
            ],
            id="mail-queue",
        ),
        pytest.param(
            "/admin/mailer/messagelog/",
            ["Poruka bez sačuvanog sadržaja", "Ishod", "poslato", "neuspeh"],
            id="mail-log",
        ),
        pytest.param(
            "/admin/axes/accessattempt/",
            ["Pregledač (User-Agent)", "Neuspelih prijava", "Obriši istekle pokušaje prijave"],
            id="sign-in-attempts",
        ),
        pytest.param(
            "/admin/axes/accesslog/", ["Prijava korisnika urednica", "Vreme odjave"], id="sign-in-log"
        ),
        pytest.param(
            "/admin/otp_totp/totpdevice/add/",
            ["Korisnik kome uređaj pripada.", "Koliko cifara ima kod.", "Zastoj posle pogrešnih kodova"],
            id="authenticator-app",
        ),
    ],
)
def test_package_pages_use_our_words(administrator, objects, url, labels):
    text = " ".join(visible_text(administrator.get(url).content.decode()).split())
    missing = [label for label in labels if label not in text]
    assert missing == []


@pytest.mark.parametrize(
    ("remaining", "shown"),
    [
        (1, "Još 1 pokušaj"),
        (2, "Još 2 pokušaja"),
        (5, "Još 5 pokušaja"),
        (21, "Još 21 pokušaj"),
        (22, "Još 22 pokušaja"),
        (25, "Još 25 pokušaja"),
    ],
    ids=["1", "2", "5", "21", "22", "25"],
)
def test_sign_in_attempts_left_in_the_right_plural(administrator, settings, remaining, shown):
    from axes.models import AccessAttempt

    settings.AXES_FAILURE_LIMIT = 30
    AccessAttempt.objects.create(
        username="urednica", ip_address="198.51.100.7", user_agent="t", failures_since_start=30 - remaining
    )
    text = visible_text(administrator.get("/admin/axes/accessattempt/").content.decode()).split("\n")
    assert shown in text


def test_translated_labels_leave_the_migrations_unchanged():
    """The packages' labels go through gettext as their own English: no migration for a package follows."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.parametrize(
    ("expired", "shown"),
    [
        (1, "Obrisan je 1 istekli pokušaj prijave."),
        (2, "Obrisana su 2 istekla pokušaja prijave."),
        (5, "Obrisano je 5 isteklih pokušaja prijave."),
    ],
    ids=["1", "2", "5"],
)
def test_cleaning_up_expired_attempts_says_how_many_in_serbian(administrator, expired, shown):
    from axes.models import AccessAttempt

    attempts = [
        AccessAttempt.objects.create(
            username=f"citalac-{n}", ip_address="198.51.100.7", user_agent="t", failures_since_start=1
        )
        for n in range(expired)
    ]
    long_ago = timezone.now() - timezone.timedelta(days=2)
    AccessAttempt.objects.filter(pk__in=[a.pk for a in attempts]).update(attempt_time=long_ago)
    response = administrator.post(
        "/admin/axes/accessattempt/",
        {"action": "cleanup_expired_attempts", "_selected_action": [attempts[0].pk]},
        follow=True,
    )
    assert shown in [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize("step", ["password", "code"])
def test_two_factor_sign_in_shows_no_english(client, django_user_model, english, step):
    """django-two-factor-auth's sign-in wizard: the password step, then the app's code step."""
    response = client.get(reverse("admin:login"))
    if step == "code":
        user = django_user_model.objects.create_user("dezurna", password="lozinka-za-test", is_staff=True)
        TOTPDevice.objects.create(user=user, name="default", confirmed=True)  # two-factor's own name
        data = {
            "staff_login_view-current_step": "auth",
            "auth-username": "dezurna",
            "auth-password": "lozinka-za-test",
        }
        response = client.post(reverse("admin:login"), data)
        assert response.context["wizard"]["steps"].current == "token"
    assert response.status_code == 200
    assert untranslated(response.content.decode(), english) == []
