// Word count and reading time under the article body while writing (about 200 words a minute).
(function () {
    "use strict";
    const body = document.getElementById("id_body");
    if (!body) {
        return;
    }
    const counter = document.createElement("p");
    counter.className = "help";
    counter.setAttribute("aria-live", "polite");
    counter.dataset.wordCount = "";
    body.after(counter);

    function words(html) {
        const text = new DOMParser().parseFromString(html, "text/html").body.textContent || "";
        return text.split(/\s+/).filter(function (word) { return /[\p{L}\p{N}]/u.test(word); }).length;
    }

    function update() {
        const count = words(body.value);
        const minutes = Math.max(1, Math.round(count / 200));
        counter.textContent = count + " reči · oko " + minutes + " min čitanja";
    }
    body.addEventListener("input", update);
    update();
})();
