import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from articles.models import TransliterationException
from articles.text import CYRILLIC_TO_LATIN
from articles.transliteration import (
    EXCEPTIONS_CACHE_KEY,
    exceptions,
    html_to_cyrillic,
    html_to_latin,
    read_digraph_exceptions,
    to_cyrillic,
    to_latin,
)

NONE = ()  # no exceptions list: pure tests need no database


def cyr(text, keep=NONE):
    return to_cyrillic(text, keep=keep)


def lat(text, keep=NONE):
    return to_latin(text, keep=keep)


# Letters and case


@pytest.mark.parametrize(("cyrillic", "latin"), CYRILLIC_TO_LATIN.items())
def test_every_letter_converts_both_ways(cyrillic, latin):
    # In a word: a capital V alone is a Roman numeral.
    assert cyr(f"{latin}a") == f"{cyrillic}а"
    assert lat(f"{cyrillic}а") == f"{latin}a"


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Ljubav", "Љубав"),
        ("LJUBAV", "ЉУБАВ"),
        ("NJEGOŠ", "ЊЕГОШ"),
        ("Njegoš", "Његош"),
        ("DŽAK", "ЏАК"),
        ("Džak", "Џак"),
        ("ĐORĐE", "ЂОРЂЕ"),
        ("KRALJ I KONJ", "КРАЉ И КОЊ"),
        ("ČAČAK, ĆUPRIJA, ŠABAC, ŽABALJ", "ЧАЧАК, ЋУПРИЈА, ШАБАЦ, ЖАБАЉ"),
    ],
)
def test_case_is_kept_both_ways_including_all_capitals_words(latin, cyrillic):
    assert cyr(latin) == cyrillic
    assert lat(cyrillic) == latin


def test_a_capital_digraph_before_lower_case_is_one_capital_letter():
    assert cyr("LJubav") == "Љубав"
    assert lat("Џ је слово") == "Dž je slovo"
    assert lat("Џ") == "Dž"


def test_digraph_code_points_become_the_letter():
    assert cyr("ǈubav ǋegoš ǅak") == "Љубав Његош Џак"


def test_letters_typed_with_a_combining_caron_convert():
    assert cyr("c\u030cas s\u030cuma") == "час шума"


def test_text_already_in_the_target_script_stays_and_mixed_text_converts_the_rest():
    assert cyr("Београд") == "Београд"
    assert lat("Beograd") == "Beograd"
    assert cyr("Београд i Novi Sad") == "Београд и Нови Сад"
    assert lat("Београд i Novi Sad") == "Beograd i Novi Sad"


PARAGRAPH = (
    "Ljubljana, Njegoš i Džamija: ljubav, konj, džep, đak, Đorđe, čaša, ćup, šuma, žaba. "
    "U Čačku je LJUBIŠA rekao da NJIVA i DŽEP ostaju, a KRALJ, PANJ i ĐUVEČ takođe. "
    "Doktor je dao injekciju, konjunktura je loša, nadživeo je sve, a podžanr se odžalio."
)


def test_ordinary_text_survives_a_round_trip_both_ways():
    cyrillic = cyr(PARAGRAPH)
    assert lat(cyrillic) == PARAGRAPH
    assert cyr(lat(cyrillic)) == cyrillic
    assert "ЉУБИША" in cyrillic and "КРАЉ" in cyrillic and "ЂУВЕЧ" in cyrillic


# Where "nj", "lj", "dž" are two letters


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("injekcija", "инјекција"),
        ("INJEKCIJA", "ИНЈЕКЦИЈА"),
        ("Injekcija", "Инјекција"),
        ("konjunktura", "конјунктура"),
        ("konjugacija", "конјугација"),
        ("hiperkonjugacija", "хиперконјугација"),
        ("injunkcija", "инјункција"),
        ("vanjezički", "ванјезички"),
        ("izvanjezički", "изванјезички"),
        ("nadživeti", "надживети"),
        ("Nadživljavanje", "Надживљавање"),
        ("nadžnjeti", "наджњети"),
        ("podžanr", "поджанр"),
        ("podžupan", "поджупан"),
        ("odžaliti", "оджалити"),
        ("predželudac", "преджелудац"),
        ("Tanjuga", "Танјуга"),
    ],
)
def test_digraph_exceptions_stay_two_letters_both_ways(latin, cyrillic):
    assert cyr(latin) == cyrillic
    assert lat(cyrillic) == latin


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [("konj", "коњ"), ("konju", "коњу"), ("kanjon", "кањон"), ("svinjica", "свињица"), ("odžak", "оџак")],
)
def test_ordinary_words_near_an_exception_keep_their_digraph(latin, cyrillic):
    assert cyr(latin) == cyrillic


def test_the_digraph_exceptions_file_is_data_with_a_split_in_every_stem():
    stems = read_digraph_exceptions()
    assert ("in", "jekc", True) in stems
    assert ("nad", "živ", False) in stems
    assert all(prefix[-1] + rest[0] in ("lj", "nj", "dž") for prefix, rest, _ in stems)


def test_a_stem_without_its_split_is_refused(tmp_path):
    broken = tmp_path / "exceptions.txt"
    broken.write_text("# comment\ninjekc\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"exceptions\.txt:2"):
        read_digraph_exceptions(broken)


# What is left alone


@pytest.mark.parametrize(
    "kept",
    [
        "https://citaonica.rs/vesti/ljubav?strana=2",
        "http://example.org/njiva",
        "www.b92.net/info",
        "urednistvo@citaonica.rs",
        "ime.prezime@posta.co.rs",
        "@citaonica_rs",
        "#Beograd",
        "citaonica.rs",
        "izveštaj.pdf",
        "B92",
        "MP3",
        "5G",
    ],
)
def test_addresses_handles_file_names_and_codes_are_left_alone(kept):
    assert cyr(f"Vidi {kept} sada") == f"Види {kept} сада"
    assert cyr(f"({kept}).") == f"({kept})."


def test_a_url_at_the_end_of_a_sentence_leaves_the_full_stop_outside():
    assert cyr("Piše na https://citaonica.rs/vesti.") == "Пише на https://citaonica.rs/vesti."


def test_numbers_and_times_are_left_alone():
    assert (
        cyr("Cena je 1.000,50 dinara u 23:03, 12. maja 2026.")
        == "Цена је 1.000,50 динара у 23:03, 12. маја 2026."
    )


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("II svetski rat", "II светски рат"),
        ("I tada je počelo", "И тада је почело"),
        ("Luj XIV i Luj XVI", "Луј XIV и Луј XVI"),
        ("u XXI veku", "у XXI веку"),
        ("Henri IV, MMXXVI", "Хенри IV, MMXXVI"),
        ("Petar I Karađorđević", "Петар I Карађорђевић"),
        ("V. Petrović", "В. Петровић"),
        ("Vitamin V", "Витамин V"),
        ("DA LI MI SMO SPREMNI", "ДА ЛИ МИ СМО СПРЕМНИ"),
        ("MARKO I ANA", "МАРКО И АНА"),
        ("ŠTA DIV VIDI", "ШТА ДИВ ВИДИ"),
        ("DIM", "ДИМ"),
    ],
)
def test_roman_numerals_are_kept_and_the_conjunction_i_converts(latin, cyrillic):
    assert cyr(latin) == cyrillic


@pytest.mark.parametrize(
    "word", ["Wi-Fi", "New York", "Yahoo", "Twitter-a", "Quebec", "box", "München", "Ærø"]
)
def test_words_with_letters_serbian_does_not_use_are_kept_whole(word):
    assert cyr(f"Grad {word} i selo") == f"Град {word} и село"


def test_foreign_cyrillic_words_are_kept_on_the_way_to_latin():
    assert lat("Рекао је „Россия“ и отишао") == "Rekao je „Россия“ i otišao"


def test_entities_are_left_alone():
    assert (
        cyr("Tom &amp; Džeri&nbsp;&#8230; &#x2014; &quot;") == "Том &amp; Џери&nbsp;&#8230; &#x2014; &quot;"
    )


def test_keep_leaves_whole_words_as_written_case_sensitively():
    keep = ["Reuters", "EPA-EFE", "Facebook", "New Balance", "beta"]
    assert cyr("Foto: EPA-EFE, Reuters", keep) == "Фото: EPA-EFE, Reuters"
    assert cyr("na Facebook-u i Facebooku", keep) == "на Facebook-у и Фацебооку"
    assert cyr("patike New Balance", keep) == "патике New Balance"
    assert cyr("beta verzija i Beta", keep) == "beta верзија и Бета"
    assert cyr("Reutersov izveštaj", keep) == "Реутерсов извештај"


def test_a_cyrillic_entry_stays_cyrillic_on_the_latin_page():
    assert lat("лист Политика и Борба", keep=["Политика"]) == "list Политика i Borba"


# The editors' exceptions list


@pytest.mark.django_db
def test_the_migration_seeds_agencies_and_brands():
    seeded = set(TransliterationException.objects.values_list("text", flat=True))
    assert {"EPA-EFE", "Reuters", "Tanjug", "FoNet", "iPhone", "Facebook", "YouTube"} <= seeded


@pytest.mark.django_db
def test_an_entry_added_by_an_editor_is_used_at_once(django_assert_num_queries):
    assert to_cyrillic("Foto: Vremeplov") == "Фото: Времеплов"
    TransliterationException.objects.create(text="Vremeplov")
    with django_assert_num_queries(1):
        assert to_cyrillic("Foto: Vremeplov") == "Фото: Vremeplov"
        assert html_to_cyrillic("<p>Vremeplov</p>") == "<p>Vremeplov</p>"
        assert to_latin("Времеплов") == "Vremeplov"


@pytest.mark.django_db
def test_deleting_an_entry_forgets_it():
    entry = TransliterationException.objects.create(text="Vremeplov")
    assert to_cyrillic("Vremeplov") == "Vremeplov"
    entry.delete()
    assert to_cyrillic("Vremeplov") == "Времеплов"


@pytest.mark.django_db
def test_the_list_is_read_once_per_cache_period(django_assert_num_queries):
    with django_assert_num_queries(1):
        for _ in range(3):
            exceptions()
            to_cyrillic("Reuters i Beta")
            html_to_latin("<p>Reuters</p>")
    assert cache.get(EXCEPTIONS_CACHE_KEY) is not None


@pytest.mark.django_db
def test_the_seeded_list_keeps_brands_on_the_cyrillic_page():
    assert to_cyrillic("Foto: Reuters, snimljeno iPhone-om") == "Фото: Reuters, снимљено iPhone-ом"
    assert to_cyrillic("Foto: EPA-EFE/KCNA, FoNet i Beta") == "Фото: EPA-EFE/KCNA, FoNet и Beta"


@pytest.mark.django_db
def test_an_editor_keeps_the_list_in_the_admin(client, django_user_model):
    editor = django_user_model.objects.create_user("urednica", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Urednici"))
    client.force_login(editor)
    assert to_cyrillic("Vremeplov") == "Времеплов"
    response = client.post("/admin/articles/transliterationexception/add/", {"text": " Vremeplov "})
    assert response.status_code == 302
    assert TransliterationException.objects.filter(text="Vremeplov").exists()
    assert to_cyrillic("Vremeplov") == "Vremeplov"
    found = client.get("/admin/articles/transliterationexception/", {"q": "Reu"}).context["cl"].result_list
    assert [str(entry) for entry in found] == ["Reuters"]


def test_keep_needs_no_database():
    assert cyr("Reuters", keep=["Reuters"]) == "Reuters"


# HTML


def test_tags_and_other_attributes_are_untouched():
    html = '<p class="lead njiva" id="lj" data-naslov="džem"><a href="/ljubav/" rel="nofollow">Ljubav</a></p>'
    assert html_to_cyrillic(html, keep=NONE) == (
        '<p class="lead njiva" id="lj" data-naslov="džem"><a href="/ljubav/" rel="nofollow">Љубав</a></p>'
    )


def test_visible_attributes_are_converted():
    html = (
        '<img src="/most.jpg" alt="Most na Dunavu"><a href="/" title="Naslovna">h</a>'
        '<nav aria-label="Rubrike"></nav><input type="search" name="q" placeholder="Pretraga vesti">'
        '<input type="submit" value="Traži"><input type="text" name="ime" value="Njegoš">'
        '<button type="submit" name="value" value="džem">Pošalji</button>'
        '<a href="/x" data-copy-link data-copied-label="Link je kopiran" data-reply-name="Njegoš">Kopiraj</a>'
    )
    assert html_to_cyrillic(html, keep=NONE) == (
        '<img src="/most.jpg" alt="Мост на Дунаву"><a href="/" title="Насловна">х</a>'
        '<nav aria-label="Рубрике"></nav><input type="search" name="q" placeholder="Претрага вести">'
        '<input type="submit" value="Тражи"><input type="text" name="ime" value="Njegoš">'
        '<button type="submit" name="value" value="džem">Пошаљи</button>'
        '<a href="/x" data-copy-link data-copied-label="Линк је копиран" data-reply-name="Njegoš">Копирај</a>'
    )


def test_only_visible_meta_content_is_converted():
    html = (
        '<meta name="description" content="Vesti dana">'
        '<meta property="og:title" content="Naslov">'
        '<meta property="og:url" content="https://citaonica.rs/ljubav/">'
        '<meta property="article:tag" content="Njiva">'
        '<meta name="twitter:image:alt" content="Most">'
        '<meta name="robots" content="noindex">'
        '<meta property="og:locale" content="sr_RS">'
    )
    assert html_to_cyrillic(html, keep=NONE) == (
        '<meta name="description" content="Вести дана">'
        '<meta property="og:title" content="Наслов">'
        '<meta property="og:url" content="https://citaonica.rs/ljubav/">'
        '<meta property="article:tag" content="Њива">'
        '<meta name="twitter:image:alt" content="Мост">'
        '<meta name="robots" content="noindex">'
        '<meta property="og:locale" content="sr_RS">'
    )


@pytest.mark.parametrize("element", ["script", "style", "textarea", "code", "pre", "kbd", "samp"])
def test_contents_of_code_and_scripts_are_untouched(element):
    html = f"<p>Njiva</p><{element} class='x'>var ljubav = '<b>nj</b>';</{element}><p>Njiva</p>"
    assert html_to_cyrillic(html, keep=NONE) == (
        f"<p>Њива</p><{element} class='x'>var ljubav = '<b>nj</b>';</{element}><p>Њива</p>"
    )


def test_a_textarea_placeholder_converts_but_not_its_text():
    html = '<textarea name="komentar" placeholder="Vaš komentar">Njiva</textarea>'
    assert html_to_cyrillic(html, keep=NONE) == (
        '<textarea name="komentar" placeholder="Ваш коментар">Njiva</textarea>'
    )


def test_comments_doctype_and_entities_survive():
    html = '<!DOCTYPE html><!-- njiva <b title="lj"> --><p>Tom &amp; Džeri&nbsp;&#8230;</p>'
    assert html_to_cyrillic(html, keep=NONE) == (
        '<!DOCTYPE html><!-- njiva <b title="lj"> --><p>Том &amp; Џери&nbsp;&#8230;</p>'
    )


def test_foreign_language_elements_are_kept_with_everything_in_them():
    html = (
        '<p>Naslov: <span lang="en">Breaking news <b>now</b> <img alt="Photo"></span> i dalje</p>'
        '<blockquote lang="de"><p>Ein <em lang="sr-Latn">nj</em></p><p>Zwei</p></blockquote><p>kraj</p>'
        '<div lang="en"><div>inner</div>outer</div><p>Njiva</p>'
    )
    assert html_to_cyrillic(html, keep=NONE) == (
        '<p>Наслов: <span lang="en">Breaking news <b>now</b> <img alt="Photo"></span> и даље</p>'
        '<blockquote lang="de"><p>Ein <em lang="sr-Latn">nj</em></p><p>Zwei</p></blockquote><p>крај</p>'
        '<div lang="en"><div>inner</div>outer</div><p>Њива</p>'
    )


@pytest.mark.parametrize(
    ("convert", "html"),
    [
        (html_to_latin, '<div class="t" translate="no">Ђорђе <mark class="m">будала</mark><br>ћ</div>'),
        (html_to_latin, "<p TRANSLATE=NO title='Њива'>Њива <b>и</b> Njiva</p>"),
        (html_to_latin, '<span data-x="1" translate = "no" lang="sr-Cyrl">Џак</span>'),
        (html_to_cyrillic, '<div translate="no">Njiva <mark>budala</mark></div>'),
    ],
    ids=["latin-page", "upper-case-attribute", "with-serbian-lang", "cyrillic-page"],
)
def test_elements_marked_translate_no_are_kept_as_written(convert, html):
    # What a reader wrote stays in the reader's script on the newsroom's pages (the moderation desk).
    outside = "<p>Њива</p>" if convert is html_to_latin else "<p>Njiva</p>"
    converted_outside = "<p>Njiva</p>" if convert is html_to_latin else "<p>Њива</p>"
    assert convert(outside + html + outside, keep=NONE) == converted_outside + html + converted_outside


@pytest.mark.parametrize("value", ["yes", "", "maybe"])
def test_translate_other_than_no_converts(value):
    html = f'<div translate="{value}">Њива</div>'
    assert html_to_latin(html, keep=NONE) == f'<div translate="{value}">Njiva</div>'


@pytest.mark.parametrize("lang", ["sr", "sr-Latn", "sr-Cyrl", "SR-latn", ""])
def test_serbian_language_marks_are_converted(lang):
    assert html_to_cyrillic(f'<p lang="{lang}">Njiva</p>', keep=NONE) == f'<p lang="{lang}">Њива</p>'


def test_a_paragraph_marked_foreign_ends_where_the_next_one_starts():
    html = '<div><p lang="en">Hello<p>Zdravo</div>Njiva'
    assert html_to_cyrillic(html, keep=NONE) == '<div><p lang="en">Hello<p>Здраво</div>Њива'


def test_the_html_lang_attribute_is_not_rewritten():
    html = (
        '<!doctype html><html lang="sr-Latn"><head><title>Čitaonica</title></head><body>Vesti</body></html>'
    )
    assert html_to_cyrillic(html, keep=NONE) == (
        '<!doctype html><html lang="sr-Latn"><head><title>Читаоница</title></head><body>Вести</body></html>'
    )


def test_void_self_closing_and_unquoted_markup_is_handled():
    html = "<p>Lj<br>nj<br/>dž<img src=x.jpg alt=Most /><a href=/lj/ title=Njiva>Ljubav</a></p>"
    assert html_to_cyrillic(html, keep=NONE) == (
        "<p>Љ<br>њ<br/>џ<img src=x.jpg alt=Мост /><a href=/lj/ title=Њива>Љубав</a></p>"
    )


def test_a_greater_than_sign_inside_a_quoted_attribute_stays_in_the_tag():
    html = "<p data-x='a>njiva' title=\"1 > 0 ljudi\">Njiva</p>"
    assert html_to_cyrillic(html, keep=NONE) == "<p data-x='a>njiva' title=\"1 > 0 људи\">Њива</p>"


@pytest.mark.parametrize(
    ("html", "cyrillic"),
    [
        ("<p>Njiva <b", "<p>Њива <b"),
        ("a < b i << njiva >>", "а < б и << њива >>"),
        ('<a href="x>njiva', '<a href="x>њива'),
        ("<!-- njiva", "<!-- njiva"),
        ("<script>njiva", "<script>njiva"),
        ("</p>njiva<p", "</p>њива<p"),
        ('<span lang="en">open to the end', '<span lang="en">open to the end'),
        ("<p>Tom &amp Džeri</p>", "<p>Том &amp Џери</p>"),
        ("<code>njiva", "<code>њива"),
        ("", ""),
    ],
)
def test_malformed_html_never_raises_and_converts_sensibly(html, cyrillic):
    assert html_to_cyrillic(html, keep=NONE) == cyrillic


def test_a_whole_page_survives_a_round_trip():
    html = (
        '<!doctype html><html lang="sr-Latn"><head><meta name="description" content="Ljubav i džem">'
        "<title>Naslov | Čitaonica</title><script>var a = 'nj';</script></head><body>"
        '<h1 title="NJEGOŠ">LJUBAV, KRALJ, Đorđe</h1><p>Vidi https://citaonica.rs i piši na a@b.rs, '
        '<span lang="en">Breaking news</span> II svetski rat.</p></body></html>'
    )
    cyrillic = html_to_cyrillic(html, keep=NONE)
    assert '<h1 title="ЊЕГОШ">ЉУБАВ, КРАЉ, Ђорђе</h1>' in cyrillic
    assert html_to_latin(cyrillic, keep=NONE) == html


def test_html_to_latin_is_the_counterpart():
    html = '<p title="Његош" class="њ">ЉУБАВ <span lang="ru">Россия и Москва</span> и Џак</p>'
    assert html_to_latin(html, keep=NONE) == (
        '<p title="Njegoš" class="њ">LJUBAV <span lang="ru">Россия и Москва</span> i Džak</p>'
    )


def test_text_with_control_characters_still_converts():
    html = "<p>nj\x00lj\x01dž\x02\x03\x04\x05\x06\x07\x08</p><p>Njiva</p>"
    assert html_to_cyrillic(html, keep=NONE) == "<p>њ\x00љ\x01џ\x02\x03\x04\x05\x06\x07\x08</p><p>Њива</p>"


def test_text_outside_the_common_characters_converts():
    assert cyr("Njiva 😀 → džem ✓ 中文 ljubav") == "Њива 😀 → џем ✓ 中文 љубав"
    many = " ".join(["nj😀"] * 40)
    assert cyr(many) == " ".join(["њ😀"] * 40)
