// Keeps what the editor types in the article form on the server every few seconds (never saving the article),
// and puts an offered autosave back into the form. The server decides what is offered; see articles/autosave.py.
(function () {
    "use strict";
    const status = document.querySelector("[data-autosave-url]");
    const form = status && status.closest("form");
    if (!form || !window.fetch || !window.URLSearchParams) {
        return;
    }
    const url = status.dataset.autosaveUrl;
    const QUIET_MS = 2500;  // after the last keystroke
    const LONGEST_MS = 8000;  // while typing on without a pause: at most this much typing is ever unsent
    let dirty = false;
    let sending = false;
    let submitting = false;
    let quietTimer = null;
    let longestTimer = null;

    function say(text) {
        status.textContent = text;
    }

    function token() {
        const input = form.querySelector("input[name=csrfmiddlewaretoken]");
        return input ? input.value : "";
    }

    function payload() {
        return new URLSearchParams(new FormData(form));
    }

    function clearTimers() {
        window.clearTimeout(quietTimer);
        window.clearTimeout(longestTimer);
        quietTimer = longestTimer = null;
    }

    function failed(text) {
        dirty = true;
        say(text);
        if (!longestTimer) {
            longestTimer = window.setTimeout(flush, LONGEST_MS);  // retried on the next tick
        }
    }

    function flush() {
        clearTimers();
        if (!dirty || submitting) {
            return;
        }
        if (sending) {
            longestTimer = window.setTimeout(flush, QUIET_MS);
            return;
        }
        dirty = false;
        sending = true;
        fetch(url, {
            method: "POST",
            body: payload(),
            credentials: "same-origin",
            headers: {"X-CSRFToken": token(), "Accept": "application/json"},
        })
            .then(function (response) {
                const json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
                if (!json) {
                    failed("Nije sačuvano: prijavite se ponovo u drugoj kartici.");
                    return null;
                }
                return response.json().then(function (data) {
                    if (response.ok && data.saved_at) {
                        say("Automatski sačuvano u " + data.saved_at);
                    } else {
                        failed(data.error || "Nije sačuvano.");
                    }
                });
            })
            .catch(function () {
                failed("Nije sačuvano: nema veze");
            })
            .finally(function () {
                sending = false;
            });
    }

    function changed(event) {
        if (event.target.closest && event.target.closest(".autosave-offer")) {
            return;
        }
        dirty = true;
        window.clearTimeout(quietTimer);
        quietTimer = window.setTimeout(flush, QUIET_MS);
        if (!longestTimer) {
            longestTimer = window.setTimeout(flush, LONGEST_MS);
        }
    }

    function leaving() {
        if (!dirty || submitting) {
            return;
        }
        // The page may be gone before a fetch answers: a beacon is delivered anyway (the token is in the body).
        if (navigator.sendBeacon && navigator.sendBeacon(url, payload())) {
            dirty = false;
            clearTimers();
        }
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    // Saving the form deletes the autosave; a beacon sent as the page unloads must not bring it back.
    form.addEventListener("submit", function () {
        submitting = true;
        clearTimers();
    });
    document.addEventListener("visibilitychange", function () {
        if (document.visibilityState === "hidden") {
            leaving();
        }
    });
    window.addEventListener("pagehide", leaving);

    // The offer of an earlier autosave: restore it into the fields, or discard it.
    const offer = document.querySelector(".autosave-offer");
    const fieldsData = document.getElementById("autosave-fields");
    if (!offer || !fieldsData) {
        return;
    }

    function proseEditor(textarea) {
        // Tiptap keeps the editor on its editable element (an outer .ProseMirror wrapper does not have it).
        const wrapper = textarea.closest(".prose-editor");
        const view = wrapper && Array.from(wrapper.querySelectorAll(".ProseMirror")).find(function (element) {
            return element.editor;
        });
        return view && view.editor;
    }

    function notify(element) {
        element.dispatchEvent(new Event("input", {bubbles: true}));
        element.dispatchEvent(new Event("change", {bubbles: true}));
        if (window.django && window.django.jQuery) {
            window.django.jQuery(element).trigger("change.select2");  // the autocomplete widgets redraw
        }
    }

    const labelsData = document.getElementById("autosave-labels");
    const labels = labelsData ? JSON.parse(labelsData.textContent) : {};

    function put(element, value) {
        const values = Array.isArray(value) ? value : [value];
        if (element instanceof RadioNodeList) {
            element.value = values[0];
            return;
        }
        if (element.type === "checkbox") {
            element.checked = true;
        } else if (element.tagName === "SELECT") {
            values.forEach(function (one) {
                if (!Array.from(element.options).some(function (option) { return option.value === one; })) {
                    // An autocomplete input lists only what was chosen when the page was made.
                    element.add(new Option((labels[element.name] || {})[one] || one, one));
                }
            });
            Array.from(element.options).forEach(function (option) {
                option.selected = values.indexOf(option.value) !== -1;
            });
        } else if (element.id === "id_body" && proseEditor(element)) {
            proseEditor(element).commands.setContent(values[0]);  // the editor writes the textarea itself
            return;
        } else {
            element.value = values[0];
        }
        notify(element);
    }

    function restore() {
        const fields = JSON.parse(fieldsData.textContent);
        // An unticked checkbox or a list with nothing chosen posts nothing: absent from the autosave, they
        // were empty (the byline rows, named "articleauthor_set-0-...", are not autosaved and stay as they are).
        form.querySelectorAll("input[type=checkbox], select[multiple]").forEach(function (input) {
            if (!input.name || input.name.indexOf("-") !== -1 || input.name in fields) {
                return;
            }
            if (input.type === "checkbox" && input.checked) {
                input.checked = false;
                notify(input);
            } else if (input.tagName === "SELECT" && input.selectedOptions.length) {
                Array.from(input.options).forEach(function (option) { option.selected = false; });
                notify(input);
            }
        });
        Object.keys(fields).forEach(function (name) {
            const element = form.elements.namedItem(name);
            if (element) {
                put(element, fields[name]);
            }
        });
        const key = form.elements.namedItem("new_article_key");
        if (key && offer.dataset.newArticleKey) {
            key.value = offer.dataset.newArticleKey;  // a new article keeps the key its autosave has
        }
        finish("Nesačuvane izmene su vraćene u obrazac. Sačuvajte članak kada budete spremni.");
    }

    function discard() {
        const body = new URLSearchParams();
        body.set("csrfmiddlewaretoken", token());
        if (offer.dataset.newArticleKey) {
            body.set("new_article_key", offer.dataset.newArticleKey);
        }
        fetch(offer.dataset.discardUrl, {method: "POST", body: body, credentials: "same-origin"})
            .then(function (response) {
                if (response.ok) {
                    finish("Nesačuvane izmene su odbačene.");
                } else {
                    say("Odbacivanje nije uspelo; pokušajte ponovo.");
                }
            })
            .catch(function () {
                say("Odbacivanje nije uspelo: nema veze");
            });
    }

    function finish(text) {
        offer.remove();
        say(text);
        const title = form.elements.namedItem("title");
        if (title && title.focus) {
            title.focus();  // the buttons are gone; the keyboard goes on in the form
        }
    }

    offer.querySelector("[data-autosave-restore]").addEventListener("click", restore);
    offer.querySelector("[data-autosave-discard]").addEventListener("click", discard);
})();
