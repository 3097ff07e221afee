"""A signed-in reader for the benchmark: an account with a verified address and a display name, and a session
for it that wrk's requests carry. Run in a server's environment, ``python -m bench.reader_session`` prints the
Cookie header (sessions live in the database, which the servers share)."""

import sys

USERNAME = "bench-citalac"
EMAIL = "bench-citalac@example.org"
DISPLAY_NAME = "Čitalac Merenja"


def bench_reader():
    """The benchmark's reader, made once: what a reader who signed up by e-mail code has."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    from comments.display_names import name_key
    from comments.models import ReaderProfile

    user, made = get_user_model().objects.get_or_create(username=USERNAME, defaults={"email": EMAIL})
    if made:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
        ReaderProfile.objects.create(user=user, display_name=DISPLAY_NAME, name_key=name_key(DISPLAY_NAME))
    return user


def cookie_header():
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(bench_reader())
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def main():
    import django

    django.setup()
    sys.stdout.write(cookie_header())


if __name__ == "__main__":
    main()
