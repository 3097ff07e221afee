// Serbian for django-prose-editor, which ships no Serbian: its dialogs ask window.gettext (so this wraps the
// admin's catalogue before the editor loads), and its toolbar tooltips are fixed English titles (renamed here).
(function () {
    "use strict";
    const serbian = {
        "Edit Link": "Link", "URL": "Adresa", "Title": "Naslov", "Update": "Sačuvaj", "Insert": "Umetni",
        "Cancel": "Odustani", "Open in new window": "Otvori u novom prozoru", "Edit HTML": "HTML",
        "Prettify": "Uredi zapis", "List properties": "Svojstva liste", "List type": "Vrsta liste",
        "Start at": "Počni od", "Toggle fullscreen": "Ceo ekran", "Decimal numbers": "Brojevi",
        "Lowercase letters": "Mala slova", "Uppercase letters": "Velika slova",
        "Lowercase Roman numerals": "Mali rimski brojevi", "Uppercase Roman numerals": "Veliki rimski brojevi",
        "paragraph": "pasus", "heading": "podnaslov", "unordered list": "lista", "ordered list": "numerisana lista",
        "blockquote": "citat", "bold": "podebljano", "italic": "kurziv", "insert link": "link",
        "remove link": "ukloni link", "undo": "poništi", "redo": "ponovi", "edit HTML": "HTML",
        "hard break": "novi red", "horizontal rule": "linija",
    };
    const adminGettext = window.gettext || function (text) { return text; };
    window.gettext = function (text) {
        return serbian[text] || adminGettext(text);
    };

    function translateTitles(root) {
        root.querySelectorAll(".prose-menubar [title]").forEach(function (element) {
            const title = element.getAttribute("title");
            const translated = serbian[title] || serbian[title.replace(/ \d$/, "")];
            if (translated) {
                element.setAttribute("title", translated + (title.match(/ \d$/) || [""])[0]);
            }
        });
    }
    new MutationObserver(function () { translateTitles(document); })
        .observe(document.documentElement, {childList: true, subtree: true});
})();
