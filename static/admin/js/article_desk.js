// The writing desk: the body editor (made by django-prose-editor after the page loads) gets the "Tekst" label
// as its accessible name and the help text as its description, like every other field of the form.
(function () {
    "use strict";
    const field = document.getElementById("id_body");
    const label = document.querySelector('label[for="id_body"]');
    if (!field || !label) {
        return;
    }
    label.id = label.id || "id_body_label";

    function name(editor) {
        editor.setAttribute("role", "textbox");
        editor.setAttribute("aria-multiline", "true");
        editor.setAttribute("aria-labelledby", label.id);
        if (document.getElementById("id_body_helptext")) {
            editor.setAttribute("aria-describedby", "id_body_helptext");
        }
    }

    const container = field.closest(".form-row") || document.body;
    const existing = container.querySelector(".ProseMirror[contenteditable]");
    if (existing) {
        name(existing);
        return;
    }
    const observer = new MutationObserver(function () {
        const editor = container.querySelector(".ProseMirror[contenteditable]");
        if (editor) {
            observer.disconnect();
            name(editor);
        }
    });
    observer.observe(container, { childList: true, subtree: true });
})();

// Select2's search boxes (authors, tags, the lead photo) take the name of the select they stand for: its
// label, or the aria-label the byline's table column gives it.
(function () {
    "use strict";
    const form = document.getElementById("article_form");
    if (!form) {
        return;
    }
    function nameOf(select) {
        const label = select.id && document.querySelector('label[for="' + select.id + '"]');
        if (label) {
            return label.textContent.replace(/:\s*$/, "").trim();
        }
        return select.closest(".inline-group") ? "Autor" : "";
    }
    function nameBoxes() {
        form.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
            const container = select.nextElementSibling;
            const name = nameOf(select);
            if (!name || !container || !container.classList.contains("select2")) {
                return;
            }
            container.querySelectorAll('[role="combobox"], [role="textbox"], .select2-search__field').forEach(function (box) {
                if (box.getAttribute("aria-label") !== name) {
                    box.setAttribute("aria-label", name);
                }
            });
        });
    }
    new MutationObserver(nameBoxes).observe(form, { childList: true, subtree: true });
    nameBoxes();
    // The byline table's first column (the saved row's name) has an empty header.
    form.querySelectorAll(".inline-group thead th.original").forEach(function (header) {
        if (!header.textContent.trim()) {
            const text = document.createElement("span");
            text.className = "article-desk__hidden-text";
            text.textContent = "Sačuvani autor";
            header.append(text);
        }
    });
})();
