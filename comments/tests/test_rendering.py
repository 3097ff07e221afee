"""The comment list written by comments/rendering.py says what the template filters would have said."""

import pytest
from django.template.defaultfilters import linebreaksbr, urlizetrunc

from comments.rendering import comment_text_html

SAMPLES = [
    "Obično mišljenje, bez linkova.\nU dva reda.",
    "Cena je 5.000 dinara, a počinje u 12:30. Kraj.",
    "Pogledajte https://example.org/vesti/2026/11/28/vrlo-dugacka-adresa-koja-se-skracuje i www.primer.rs",
    "Pišite na urednik@example.org ili na primer.com/kontakt, a ne na primer.rs.",
    "<script>alert('x')</script> & „navodnici“ \"i\" 'apostrofi'",
    "Windows\r\nnovi red i\rstari Mac red",
    "EXAMPLE.COM velikim slovima i HTTP://VIKA.ORG",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_comment_text_is_what_the_template_filters_make(text):
    assert comment_text_html(text) == linebreaksbr(urlizetrunc(text, 40, autoescape=True), autoescape=True)
