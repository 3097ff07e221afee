import pytest

from articles.models import Article
from articles.richtext import inline_image_ids, sanitize_html
from articles.tests.factories import ArticleFactory


@pytest.mark.parametrize(
    ("dirty", "forbidden"),
    [
        ("<p>Tekst<script>alert('x')</script></p>", "alert"),
        ('<p onclick="steal()">Tekst</p>', "onclick"),
        ('<img src="x" onerror="steal()">', "onerror"),
        ('<p style="position:fixed">Tekst</p>', "style"),
        ("<style>p { display:none }</style><p>Tekst</p>", "display"),
        ('<a href="javascript:alert(1)">link</a>', "javascript:"),
        ('<a href="  JaVaScRiPt:alert(1)">link</a>', "alert"),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">link</a>', "data:"),
        ('<iframe src="https://evil.example"></iframe>', "iframe"),
        ("<svg><script>alert(1)</script></svg>", "alert"),
        ('<form action="/admin/"><input name="x"></form>', "input"),
        ("<!-- komentar --><p>Tekst</p>", "komentar"),
    ],
)
def test_sanitizer_removes_what_could_run_or_restyle(dirty, forbidden):
    assert forbidden.lower() not in sanitize_html(dirty).lower()


def test_sanitizer_keeps_editorial_markup_and_serbian_typography():
    html = (
        "<h2>Podnaslov</h2><p>„Citat“ i ‚unutrašnji‘ – <strong>čćšžđ</strong> <em>ČĆŠŽĐ</em> "
        '<a href="https://example.org/izvestaj">izveštaj</a></p><ul><li>jedan</li></ul>'
        "<blockquote><p>Rekao je: „Biće bolje“.</p></blockquote><p>Ђурђевдан у Џепу</p>"
    )
    clean = sanitize_html(html)
    for kept in [
        "<h2>",
        "„Citat“",
        "‚unutrašnji‘",
        "–",
        "<strong>čćšžđ</strong>",
        "<em>ČĆŠŽĐ</em>",
        'href="https://example.org/izvestaj"',
        "<ul><li>jedan</li></ul>",
        "<blockquote>",
        "Ђурђевдан у Џепу",
    ]:
        assert kept in clean


def test_inline_photo_placeholder_survives_and_loses_anything_inside_it():
    clean = sanitize_html('<p>a</p><figure data-image-id="7"><img src="x" onerror="y">tekst</figure>')
    assert clean == '<p>a</p><figure data-image-id="7"></figure>'
    assert inline_image_ids(clean) == [7]


def test_figure_with_a_bad_id_is_unwrapped():
    assert sanitize_html('<figure data-image-id="7 onload=x"><p>tekst</p></figure>') == "<p>tekst</p>"


@pytest.mark.django_db
def test_body_is_sanitized_however_it_is_saved():
    article = ArticleFactory(body='<p onclick="x">Prvi</p><script>alert(1)</script>')
    assert article.body == "<p>Prvi</p>"
    Article.objects.filter(pk=article.pk).update(body="<p>Drugi</p><script>alert(2)</script>")
    article.refresh_from_db()
    assert article.body == "<p>Drugi</p>"


def test_plain_text_with_blank_lines_becomes_paragraphs():
    text = "Prvi pasus „sa navodnicima“.\r\n\r\nDrugi pasus, i <b>malo</b> naglaska.\n\n\n"
    expected = "<p>Prvi pasus „sa navodnicima“.</p><p>Drugi pasus, i <b>malo</b> naglaska.</p>"
    assert sanitize_html(text) == expected


def test_plain_text_cannot_smuggle_a_script_through_paragraphs():
    assert "<script" not in sanitize_html("Tekst\n\n<script>alert(1)</script>")


def test_text_pasted_from_word_arrives_clean():
    word = (
        '<p class="MsoNormal" style="margin:0cm;mso-line-height-alt:12pt"><span lang="SR-LATN-RS" '
        'style="font-family:Calibri">Tekst iz <b><span style="color:red">Worda</span></b></span>'
        "<o:p></o:p></p><!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]-->"
    )
    assert sanitize_html(word) == "<p>Tekst iz <b>Worda</b></p>"


@pytest.mark.parametrize(
    "empty",
    ["<p></p>", "<p> </p>", "<p><br></p>", "<p>&nbsp;</p>", "<p><br> </p>"],
    ids=["bare", "space", "line-break", "no-break-space", "break-and-space"],
)
def test_empty_paragraphs_leave_no_gap_on_the_page(empty):
    body = f'<p>Prvi.</p>{empty}<figure data-image-id="4"></figure>{empty}'
    assert sanitize_html(body) == '<p>Prvi.</p><figure data-image-id="4"></figure>'


def test_a_paragraph_with_anything_in_it_is_kept():
    assert sanitize_html("<p>.</p><p><strong> </strong></p>") == "<p>.</p><p><strong> </strong></p>"
