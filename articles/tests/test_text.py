import pytest
from django.utils.text import slugify

from articles.text import serbian_slugify


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Đoković osvojio turnir", "djokovic-osvojio-turnir"),
        ("Čačak, Ćuprija, Šabac i Žabalj", "cacak-cuprija-sabac-i-zabalj"),
        ("ĐURĐEVDAN U DŽEPU", "djurdjevdan-u-dzepu"),
        ("Шабац добија нови мост", "sabac-dobija-novi-most"),
        ("Љубав, њива и џем", "ljubav-njiva-i-dzem"),
        ("Ђоковић и Ћирилица", "djokovic-i-cirilica"),
        ("„Navodnici“ – crta… i ostalo!", "navodnici-crta-i-ostalo"),
        ("Café Übersicht", "cafe-ubersicht"),
    ],
)
def test_serbian_slugify_transliterates_both_scripts(title, slug):
    assert serbian_slugify(title) == slug


def test_django_slugify_alone_would_lose_serbian_letters():
    # The reason the helper exists: Django drops "đ" and whole Cyrillic words.
    assert slugify("Đoković") == "okovic"
    assert slugify("Шабац") == ""


def test_long_titles_are_cut_like_the_admin_slug_filler():
    slug = serbian_slugify("reč " * 60, max_length=20)
    assert len(slug) <= 20
    assert not slug.endswith("-")
    assert slug.startswith("rec-rec")
