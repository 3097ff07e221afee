"""Share links as plain URLs: no third-party script runs on our pages."""

from urllib.parse import quote, urlencode

from django.utils.translation import gettext as _


def share_links(url, title):
    text = f"{title} {url}"
    return [
        ("facebook", "Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
        ("x", "X", "https://x.com/intent/post?" + urlencode({"url": url, "text": title})),
        ("whatsapp", "WhatsApp", "https://wa.me/?" + urlencode({"text": text})),
        ("viber", "Viber", "viber://forward?" + urlencode({"text": text})),
        ("email", _("E-mail"), f"mailto:?subject={quote(title)}&body={quote(url)}"),
    ]
