from gettext import GNUTranslations
from pathlib import Path

import polib
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "config" / "locale" / "sr_Latn" / "LC_MESSAGES"


def test_serbian_catalogue_is_complete_and_compiled():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    assert po.percent_translated() == 100 and not po.fuzzy_entries()
    with open(CATALOGUE / "django.mo", "rb") as compiled:
        translations = GNUTranslations(compiled)
    for entry in po:
        if entry.msgid_plural:
            assert translations.ngettext(entry.msgid, entry.msgid_plural, 5) == entry.msgstr_plural[2]
        else:
            assert translations.gettext(entry.msgid) == entry.msgstr, entry.msgid
