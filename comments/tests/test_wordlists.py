from html.parser import HTMLParser

import pytest
from django.utils.safestring import SafeString

from comments.wordlists import Match, WordList, fold, highlight


def found(entries, text):
    """The entries that match, and the original text each one covers."""
    return [(m.entry, text[m.start : m.end]) for m in WordList(entries).find(text)]


def test_fold_lowercases_transliterates_and_drops_diacritics():
    assert fold("Đoković") == "djokovic"
    assert fold("ЏЕП, Љубав, Њива, Ћуд") == "dzep, ljubav, njiva, cud"
    assert fold("Džep ŠUMA žaba čaj") == "dzep suma zaba caj"


def test_fold_reads_pure_cyrillic_words_by_sound_not_by_shape():
    # "рара" is all Cyrillic, so no lookalike mapping: it is "rara", not "para".
    assert fold("рара") == "rara"
    assert fold("пара") == "para"


@pytest.mark.parametrize("text", ["BUDALA", "Budala", "bUdAlA"])
def test_case_is_ignored(text):
    assert found(["budala"], text) == [("budala", text)]


def test_diacritics_in_the_entry_match_plain_text():
    assert found(["šljam"], "pravi sljam") == [("šljam", "sljam")]


def test_diacritics_in_the_text_match_a_plain_entry():
    assert found(["sljam"], "pravi šljam") == [("sljam", "šljam")]


def test_dj_spelling_matches_dj_with_stroke_both_ways():
    assert found(["đubre"], "djubre") == [("đubre", "djubre")]
    assert found(["djubre"], "Đubre") == [("djubre", "Đubre")]


def test_plain_d_does_not_match_dj_with_stroke():
    assert found(["đubre"], "dubre") == []
    assert found(["dubre"], "đubre") == []


def test_cyrillic_text_matches_latin_entry():
    assert found(["budala"], "Ти си будала.") == [("budala", "будала")]
    assert found(["đubre"], "ђубре") == [("đubre", "ђубре")]


def test_latin_text_matches_cyrillic_entry():
    assert found(["будала"], "ti si budala") == [("будала", "budala")]
    assert found(["ђубре"], "Đubre jedno") == [("ђубре", "Đubre")]


def test_cyrillic_digraph_letters_match_latin_digraphs():
    assert found(["ljigavac"], "ЉИГАВАЦ") == [("ljigavac", "ЉИГАВАЦ")]
    assert found(["џукела"], "džukela") == [("џукела", "džukela")]


def test_cyrillic_a_inside_latin_word_is_caught():
    text = "budаla"  # Cyrillic а (U+0430)
    assert found(["budala"], text) == [("budala", text)]


def test_cyrillic_lookalike_in_latin_word_is_read_as_the_letter_it_looks_like():
    text = "рara"  # Cyrillic р (U+0440) that looks like Latin p
    assert fold(text) == "para"
    assert found(["para"], text) == [("para", text)]


def test_latin_lookalike_in_cyrillic_word_is_read_as_cyrillic():
    text = "будaла"  # Latin a inside a Cyrillic word
    assert fold(text) == "budala"
    assert found(["budala"], text) == [("budala", text)]
    assert fold("cacвим") == "sasvim"  # Latin c's that look like Cyrillic с


@pytest.mark.parametrize("text", ["bu\u200bdala", "bu\u200c\u200ddala", "bu\u2060da\ufeffla", "bu\u00addala"])
def test_invisible_characters_inside_a_word_are_ignored(text):
    assert found(["budala"], text) == [("budala", text)]


def test_fullwidth_letters_are_normalized():
    text = "ｂｕｄａｌａ"
    assert found(["budala"], text) == [("budala", text)]


def test_decomposed_diacritics_are_folded_and_kept_inside_the_match():
    text = "glupac\u030c!"  # "glupač" written with a combining caron
    assert found(["glupač"], text) == [("glupač", "glupac\u030c")]


def test_entry_matches_whole_words_only():
    assert found(["glup"], "to je glupost") == []
    assert found(["glup"], "baš glup") == [("glup", "glup")]


def test_entry_with_star_matches_any_ending():
    text = "glup, glupi, GLUPOST, ГЛУПОСТИ"
    assert found(["glup*"], text) == [
        ("glup*", "glup"),
        ("glup*", "glupi"),
        ("glup*", "GLUPOST"),
        ("glup*", "ГЛУПОСТИ"),
    ]


def test_star_entry_does_not_match_inside_a_word():
    assert found(["glup*"], "preglupo") == []


def test_punctuation_around_a_word_is_not_part_of_the_match():
    text = "(budala)!"
    assert found(["budala"], text) == [("budala", "budala")]
    match = WordList(["budala"]).find(text)[0]
    assert (match.start, match.end) == (1, 7)


def test_multi_word_entry_matches_the_words_in_sequence_across_punctuation_and_script():
    assert found(["idi bre"], "Idi,   BRE!") == [("idi bre", "Idi,   BRE")]
    assert found(["idi bre"], "иди\nбре") == [("idi bre", "иди\nбре")]


def test_multi_word_entry_needs_all_its_words():
    assert found(["idi bre"], "idi kući") == []
    assert found(["idi bre"], "bre idi") == []


def test_longest_entry_wins_at_a_position():
    assert found(["idi", "idi bre"], "idi bre") == [("idi bre", "idi bre")]


def test_exact_entry_wins_over_a_star_entry():
    assert found(["glup*", "glupost"], "glupost") == [("glupost", "glupost")]


def test_matches_are_in_order_of_position():
    matches = WordList(["budala", "glup*"]).find("glupan i budala i glupača")
    assert [m.entry for m in matches] == ["glup*", "budala", "glup*"]
    assert [m.start for m in matches] == sorted(m.start for m in matches)


def test_match_keeps_the_entry_as_written():
    assert WordList(["  Будала  "]).find("budala") == [Match("Будала", 0, 6)]


def test_offsets_cover_the_original_letters_when_folding_changes_length():
    text = "Đ Љубав đubre"
    assert found(["ljubav", "djubre"], text) == [("ljubav", "Љубав"), ("djubre", "đubre")]


def test_blank_entries_are_ignored_and_empty_list_is_falsy():
    assert not WordList([])
    assert not WordList(["", "   ", "\n", "*", "!!"])
    words = WordList(["", "budala", "  "])
    assert words
    assert [m.entry for m in words.find("budala")] == ["budala"]


def test_empty_list_finds_nothing():
    assert WordList([]).find("budala") == []


def test_find_on_empty_text_returns_nothing():
    assert WordList(["budala"]).find("") == []


def test_entries_that_fold_alike_give_one_match():
    assert found(["budala", "будала", "BUDALA"], "budala") == [("budala", "budala")]


def test_highlight_shows_the_original_letters():
    text = "Ти си будала!"
    html = highlight(text, WordList(["budala"]).find(text), "banned")
    assert html == 'Ти си <mark class="banned">будала</mark>!'
    assert isinstance(html, SafeString)


def test_highlight_escapes_html_outside_and_inside_marks():
    text = "<script>budala</script> & <b>"
    html = highlight(text, WordList(["budala", "script"]).find(text), "x")
    assert html == (
        '&lt;<mark class="x">script</mark>&gt;<mark class="x">budala</mark>'
        '&lt;/<mark class="x">script</mark>&gt; &amp; &lt;b&gt;'
    )


def test_highlight_between_ampersands():
    text = "Tom&budala&Jerry"
    html = highlight(text, WordList(["budala"]).find(text), "banned")
    assert html == 'Tom&amp;<mark class="banned">budala</mark>&amp;Jerry'


def test_highlight_escapes_the_css_class():
    html = highlight("budala", [Match("budala", 0, 6)], 'a"b')
    assert html == '<mark class="a&quot;b">budala</mark>'


def test_highlight_without_matches_is_just_escaped_text():
    assert highlight("a < b", [], "x") == "a &lt; b"


class MarkBalance(HTMLParser):
    def __init__(self):
        super().__init__()
        self.depth = 0
        self.max_depth = 0
        self.ok = True

    def handle_starttag(self, tag, attrs):
        self.depth += 1
        self.max_depth = max(self.max_depth, self.depth)

    def handle_endtag(self, tag):
        self.depth -= 1
        self.ok = self.ok and self.depth >= 0


def test_highlight_of_two_lists_with_overlapping_matches_is_well_formed():
    text = "idi bre budalo, glupi"
    banned = WordList(["idi bre", "glup*"]).find(text)
    suspect = WordList(["bre budalo", "glupi"]).find(text)
    html = highlight(text, sorted(banned + suspect, key=lambda m: m.start), "hit")
    parser = MarkBalance()
    parser.feed(html)
    assert parser.ok
    assert parser.depth == 0
    assert parser.max_depth == 1
    assert html == '<mark class="hit">idi bre</mark> budalo, <mark class="hit">glupi</mark>'
