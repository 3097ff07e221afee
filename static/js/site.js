// Progressive enhancement only: every link and form works without this file.
(function () {
    "use strict";
    document.addEventListener("click", function (event) {
        const link = event.target.closest("[data-copy-link]");
        if (!link || !navigator.clipboard) {
            return;
        }
        event.preventDefault();
        navigator.clipboard.writeText(link.href).then(function () {
            link.textContent = "Link je kopiran";
        });
    });
})();
