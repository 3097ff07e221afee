"""The pages every daily must have: the impresum (its legal items) and the site's info pages."""

from .models import Impresum

# The items Serbian media law requires of the impresum, as the page names them.
REQUIRED_ITEMS = ["publisher", "address", "editor_in_chief", "registration_number"]
CONTACT_ITEMS = ["contact_email", "contact_phone"]


# Contact items are links: e-mail and telephone.
LINKS = {"contact_email": "mailto:", "contact_phone": "tel:"}
# Codes are kept as written on Cyrillic pages: the register's number is Latin letters and digits ("NV001234").
AS_WRITTEN = {"registration_number", "contact_email", "contact_phone"}


def impresum_items(impresum):
    """(label, value, link or "", kept as written) of each filled item in the law's order: only what is
    there is shown."""
    items = []
    for name in [*REQUIRED_ITEMS, *CONTACT_ITEMS]:
        if value := getattr(impresum, name).strip():
            link = LINKS[name] + value.replace(" ", "") if name in LINKS else ""
            items.append((Impresum._meta.get_field(name).verbose_name, value, link, name in AS_WRITTEN))
    return items


def missing_impresum_items(impresum):
    """Labels of what the law requires that the administrator has not filled yet (a contact is one item)."""
    missing = [
        Impresum._meta.get_field(name).verbose_name
        for name in REQUIRED_ITEMS
        if not getattr(impresum, name).strip()
    ]
    if not any(getattr(impresum, name).strip() for name in CONTACT_ITEMS):
        missing.append("kontakt (e-pošta ili telefon)")
    return missing


def staff_lines(impresum):
    """The editorial staff, one "funkcija: ime" a line, as (function, name) pairs ("" if no colon)."""
    lines = [line.strip() for line in impresum.other_staff.splitlines() if line.strip()]
    return [
        tuple(part.strip() for part in line.split(":", 1)) if ":" in line else ("", line) for line in lines
    ]
