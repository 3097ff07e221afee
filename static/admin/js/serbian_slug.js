// Makes the admin's slug filler transliterate Serbian as the server does ("Đoković" → "djokovic").
// The table comes from articles/text.py through the page, so there is one table for both.
(function () {
    "use strict";
    const data = document.getElementById("slug-transliteration");
    if (!data || typeof window.URLify !== "function") {
        return;
    }
    const table = JSON.parse(data.textContent);
    const djangoURLify = window.URLify;
    window.URLify = function (text, maxLength, allowUnicode) {
        const folded = Array.from(text, (letter) => table[letter] ?? letter).join("");
        return djangoURLify(folded, maxLength, allowUnicode);
    };
})();
