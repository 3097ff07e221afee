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
        "Paragraph": "Pasus", "Heading 2": "Podnaslov", "Heading 3": "Manji podnaslov",
    };
    const adminGettext = window.gettext || function (text) { return text; };
    window.gettext = function (text) {
        return serbian[text] || adminGettext(text);
    };

    function translateTitles(root) {
        root.querySelectorAll(".prose-menubar [title], .prose-menubar [aria-label]").forEach(function (element) {
            ["title", "aria-label"].forEach(function (attribute) {
                const translated = serbian[element.getAttribute(attribute)];
                if (translated) {
                    element.setAttribute(attribute, translated);
                }
            });
        });
        root.querySelectorAll(".prose-menubar__option > *").forEach(function (label) {
            const translated = serbian[label.textContent];
            if (translated) {
                label.textContent = translated;  // Serbian is not a key, so this changes it once
            }
        });
    }
    // The toolbar's icons are ligatures (the text "format_list_bulleted" drawn as an icon): a screen reader
    // should hear only the button's Serbian name, so the ligature goes into a hidden span.
    function hideLigatures(root) {
        root.querySelectorAll(".prose-menubar__button.material-icons").forEach(function (button) {
            const text = Array.from(button.childNodes).find(function (node) {
                return node.nodeType === Node.TEXT_NODE && node.textContent.trim();
            });
            if (text) {
                const icon = document.createElement("span");
                icon.setAttribute("aria-hidden", "true");
                text.replaceWith(icon);
                icon.append(text);
            }
        });
    }

    // The editor greys out what cannot be done here by a class; say it to assistive technology too.
    function markUnavailable(root) {
        root.querySelectorAll(".prose-menubar__button").forEach(function (button) {
            const unavailable = button.classList.contains("disabled") && !button.classList.contains("active");
            if (button.getAttribute("aria-disabled") !== String(unavailable)) {
                button.setAttribute("aria-disabled", String(unavailable));
            }
        });
    }

    new MutationObserver(function () {
        translateTitles(document);
        hideLigatures(document);
        markUnavailable(document);
    }).observe(document.documentElement, {childList: true, subtree: true, attributes: true, attributeFilter: ["class"]});
})();
