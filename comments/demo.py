"""Original demo discussions under the demo articles; running it again changes nothing."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from articles.models import Article

from . import moderation
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
    ("Sanja", "Odličan tekst, hvala na jasnom objašnjenju.", []),
    ("Petar Đukić", "Volela bih da vidim i mapu svih deonica.", []),
]


def load_demo_comments(articles=3):
    """Adds the demo discussion to the newest published articles that have no comments yet."""
    created = 0
    content_type = ContentType.objects.get_for_model(Article)
    targets = Article.objects.published().filter(comments_enabled=True, reader_comments__isnull=True)
    with transaction.atomic():
        for article in targets.order_by("-published_at")[:articles]:
            for position, (name, text, replies) in enumerate(DISCUSSION):
                top = _comment(article, content_type, name, text, public=position < len(DISCUSSION) - 1)
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


DEMO_READER = ("Vesna Čitateljka", "vesna@citaonica.example")


def load_demo_reader():
    """A reader account (verified address, profile, outcome e-mails on) with an approved, a pending and a
    rejected comment under the newest commented article: sign in at /nalog/login/ with a code sent to its
    address. Returns the address, or "" when there is no article with comments yet or it exists already."""
    name, email = DEMO_READER
    article = (
        Article.objects.published().filter(reader_comments__isnull=False).order_by("-published_at").first()
    )
    if article is None or get_user_model().objects.filter(email=email).exists():
        return ""
    content_type = ContentType.objects.get_for_model(Article)
    with transaction.atomic():
        user = get_user_model().objects.create_user(username="vesna-citateljka", email=email)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        ReaderProfile.objects.create(
            user=user, display_name=name, name_key="vesnacitateljka", notify_outcomes=True
        )
        texts = [
            ("Pratim ovu temu od početka; dobro je što se konačno kreće.", True),
            ("Da li će staze biti osvetljene noću?", False),
            ("Ovo je reklama za moj servis bicikala, javite se!", False),
        ]
        comments = []
        for text, public in texts:
            comment = _comment(article, content_type, name, text, public=public)
            ArticleComment.objects.filter(pk=comment.pk).update(
                user=user, user_email=email, email_key=email, email_verified=True
            )
            comments.append(comment)
        moderation.reject(comments[2], reason=RejectReason.ADVERTISING)
        moderation.refresh_comment_count(article.pk)
    return email
