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
