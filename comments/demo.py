"""Original demo discussions under the demo articles; running it again changes nothing."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from articles.models import Article

from . import moderation
from .display_names import name_key
from .editing import edit_comment
from .models import ArticleComment, ReaderProfile, RejectReason

# (name, text, replies); each reply is (name, text). The last top-level comment of each stays pending.
DISCUSSION = [
    (
        "Jelena Marković",
        "Konačno! Svakog dana vozim bicikl do posla i ovo je dobra vest za sve nas.",
        [
            ("Nikola", "Slažem se, samo neka ne traje deset godina."),
            ("Jelena Marković", "Nadam se da će prva faza zaista biti gotova na vreme."),
        ],
    ),
    (
        "Dragan Ilić",
        "Zanima me koliko će ovo koštati i ko će održavati staze zimi.",
        [
            ("Milica", "U tekstu piše da je veći deo novca već obezbeđen u budžetu."),
        ],
    ),
    ("Sanja", "Odličan tekst, hvala na jasnom objašnjenju.", []),  # corrected by its author, see DEMO_EDIT
    ("Petar Đukić", "Volela bih da vidim i mapu svih deonica.", []),
]


# An approved comment's correction by its author, waiting at the desk ("izmena čeka odobrenje") with its diff.
DEMO_EDIT = (
    "Odličan tekst, hvala na jasnom objašnjenju.",
    "Odličan tekst, hvala na jasnom i kratkom objašnjenju.",
)


def load_demo_comments(articles=3):
    """Adds the demo discussion to the newest published articles that have no comments yet."""
    created = 0
    content_type = ContentType.objects.get_for_model(Article)
    targets = Article.objects.published().filter(comments_enabled=True, reader_comments__isnull=True)
    with transaction.atomic():
        for article in targets.order_by("-published_at")[:articles]:
            for position, (name, text, replies) in enumerate(DISCUSSION):
                top = _comment(article, content_type, name, text, public=position < len(DISCUSSION) - 1)
                if text == DEMO_EDIT[0]:
                    edit_comment(top, DEMO_EDIT[1])
                for reply_name, reply_text in replies:
                    _comment(article, content_type, reply_name, reply_text, public=True, parent=top)
                created += 1 + len(replies)
            moderation.refresh_comment_count(article.pk)
    return created


def _comment(article, content_type, name, text, public, parent=None):
    comment = ArticleComment(
        article=article,
        content_type=content_type,
        object_pk=str(article.pk),
        site_id=1,
        user_name=name,
        user_email=f"{name.split()[0].lower()}@citaonica.example",
        comment=text,
        is_public=public,
        parent_id=parent.pk if parent else 0,
    )
    comment.save()
    return comment


DEMO_READER = ("Vesna Čitateljka", "citateljka@citaonica.example")
DEMO_READER_COMMENTS = [
    ("Pratim ovu temu od početka; dobro je što se konačno kreće.", True),
    ("Da li će staze biti osvetljene noću?", False),
    ("Ovo je reklama za moj servis bicikala, javite se!", False),
]


def load_demo_reader():
    """A reader's account (verified address, profile, outcome e-mails on) to sign in with by e-mailed code,
    with an approved, a pending and a rejected comment under the newest commented article once there is one.
    Returns the account's address; running it again changes nothing."""
    name, email = DEMO_READER
    with transaction.atomic():
        user, made = get_user_model().objects.get_or_create(
            username="demo-citateljka", defaults={"email": email}
        )
        if made:
            user.set_unusable_password()
            user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        ReaderProfile.objects.get_or_create(
            user=user,
            defaults={"display_name": name, "name_key": name_key(name), "notify_outcomes": True},
        )
        article = (
            Article.objects.published()
            .filter(reader_comments__isnull=False)
            .order_by("-published_at")
            .first()
        )
        if article is None or ArticleComment.objects.filter(user=user).exists():
            return email
        content_type = ContentType.objects.get_for_model(Article)
        comments = []
        for text, public in DEMO_READER_COMMENTS:
            comment = _comment(article, content_type, name, text, public=public)
            ArticleComment.objects.filter(pk=comment.pk).update(
                user=user, user_email=email, email_key=email, email_verified=True
            )
            comments.append(comment)
        moderation.reject(comments[2], reason=RejectReason.ADVERTISING)
        moderation.refresh_comment_count(article.pk)
    return email
