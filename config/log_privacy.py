"""Logs keep no readers' e-mail addresses and no link tokens.

Our own code logs neither; this filter is the safety net for what libraries log: django-mailer names every
recipient, Django logs the path of each 4xx/5xx answer (the path of an e-mailed link is its token), an SMTP
error quotes the refused address.
"""

import logging
import re

# Generous on purpose (any letters, "user@host" too): a false match costs a word of a log line.
_ADDRESS_CHAR = r"[^\s@<>()\[\]{},;:\"'`/\\]"
# A match starts only where a run of such characters starts, and the run is never given back: otherwise a
# long path without "@" (every 404 logs its path) is searched from each of its characters, in quadratic time.
EMAIL = re.compile(rf"(?<!{_ADDRESS_CHAR}){_ADDRESS_CHAR}++@{_ADDRESS_CHAR}+")
# The last path segment of e-mailed links (verification, unsubscribe, "Moji komentari") is the credential.
LINK_TOKEN = re.compile(r"(/komentari/(?:potvrda|odjava|moji)/)[^/\s?#\"'<>]+")
# django.core.signing output: value:timestamp:signature (base64 SHA-256, 43 characters).
SIGNED_VALUE = re.compile(r"(?<![\w.-])[\w.-]++(?::[\w-]+)?:[\w-]{43}\b")

EMAIL_MARK = "[e-mail]"
TOKEN_MARK = "[token]"


def redact(text):
    text = EMAIL.sub(EMAIL_MARK, text)
    text = LINK_TOKEN.sub(rf"\g<1>{TOKEN_MARK}", text)
    return SIGNED_VALUE.sub(TOKEN_MARK, text)


class RedactFilter(logging.Filter):
    """Rewrites a record's message, and its traceback, without addresses or tokens.

    The record itself is changed, so every handler after this filter (on a logger: all of them) sees the
    redacted text.
    """

    def filter(self, record):
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
