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
            // The page gives the confirmation in the reader's language and script.
            if (link.dataset.copiedLabel) {
                link.textContent = link.dataset.copiedLabel;
            }
        });
    });
})();

// Tabs ("Najčitanije": 24 sata | 7 dana). Without this script both lists show, each under its heading.
(function () {
    "use strict";
    document.querySelectorAll("[data-tabs]").forEach(function (block) {
        const tabs = Array.from(block.querySelectorAll("[role=tab]"));
        function select(chosen) {
            tabs.forEach(function (tab) {
                const selected = tab === chosen;
                tab.setAttribute("aria-selected", String(selected));
                tab.tabIndex = selected ? 0 : -1;
                document.getElementById(tab.getAttribute("aria-controls")).hidden = !selected;
            });
        }
        tabs.forEach(function (tab, index) {
            tab.addEventListener("click", function () {
                select(tab);
            });
            tab.addEventListener("keydown", function (event) {
                const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
                if (step) {
                    const next = tabs[(index + step + tabs.length) % tabs.length];
                    select(next);
                    next.focus();
                }
            });
        });
        block.querySelector("[role=tablist]").hidden = false;
        block.setAttribute("data-tabs-ready", "");
        select(tabs[0]);
    });
})();

// The masthead's search icon on a phone: without this script a link to the search page; with it, a button
// that opens the search form in the masthead and puts the cursor in its field.
(function () {
    "use strict";
    const toggle = document.querySelector("[data-search-toggle]");
    const link = document.querySelector("[data-search-link]");
    const form = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (!form || !link) {
        return;
    }
    const masthead = toggle.closest(".masthead");
    toggle.hidden = false;
    link.hidden = true;
    masthead.classList.add("masthead--search-toggle");
    toggle.addEventListener("click", function () {
        const open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", String(open));
        masthead.classList.toggle("masthead--search-open", open);
        if (open) {
            form.querySelector("input").focus();
        }
    });
})();
