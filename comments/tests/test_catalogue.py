from gettext import GNUTranslations
from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "config" / "locale" / "sr_Latn" / "LC_MESSAGES"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_serbian_catalogue_is_complete_and_compiled(domain):
    po = polib.pofile(str(CATALOGUE / f"{domain}.po"))
    assert po.percent_translated() == 100 and not po.fuzzy_entries()
    with open(CATALOGUE / f"{domain}.mo", "rb") as compiled:
        translations = GNUTranslations(compiled)
    for entry in po:
        assert compiled_translation(translations, entry) == expected_translation(entry), entry.msgid


def compiled_translation(translations, entry):
    context = entry.msgctxt
    if entry.msgid_plural:
        plural = (entry.msgid, entry.msgid_plural, 5)
        return translations.npgettext(context, *plural) if context else translations.ngettext(*plural)
    return translations.pgettext(context, entry.msgid) if context else translations.gettext(entry.msgid)


def expected_translation(entry):
    return entry.msgstr_plural[2] if entry.msgid_plural else entry.msgstr
