"""The Content-Security-Policy header (django-csp): strict everywhere, with two allowances for the admin."""

import base64
import hashlib
import re
from functools import cache
from urllib.parse import urlsplit

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware as BaseCSPMiddleware


def media_origins(environ):
    """Where photos come from when not from this site: the hosts in DJANGO_MEDIA_URL or of the S3 storage."""
    urls = [environ.get("DJANGO_MEDIA_URL", "")]
    if bucket := environ.get("DJANGO_S3_BUCKET", ""):
        # The address django-storages gives a file: custom domain, else the endpoint, else AWS's own host.
        if domain := environ.get("DJANGO_S3_CUSTOM_DOMAIN", ""):
            urls.append(f"https://{domain}")
        else:
            urls.append(environ.get("DJANGO_S3_ENDPOINT_URL", "") or f"https://{bucket}.s3.amazonaws.com")
    origins = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return list(dict.fromkeys(origins))


@cache
def prose_editor_importmap_hash():
    """The source allowing the body editor's import map: an inline <script> Django 5.2 gives no nonce."""
    from django_prose_editor.widgets import ProseEditorWidget  # forms are not importable while settings load

    rendered = ProseEditorWidget().media.render_importmap()[0]
    content = re.fullmatch(r"<script[^>]*>(.*)</script>", rendered, re.DOTALL)[1]
    return f"'sha256-{base64.b64encode(hashlib.sha256(content.encode()).digest()).decode()}'"


class CSPMiddleware(BaseCSPMiddleware):
    """On admin pages only: the editor's import map by its hash, and inline styles.

    The article body editor (Tiptap in django-prose-editor) injects a <style> element without a nonce,
    and Django's change list writes one too. Reader pages keep strict styles, and no page runs a script
    of its own text.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        match = getattr(request, "resolver_match", None)
        if not report_only and match is not None and "admin" in match.namespaces:
            parts.update = {
                **(parts.update or {}),
                "script-src": [prose_editor_importmap_hash()],
                "style-src": [UNSAFE_INLINE],
            }
        return parts
