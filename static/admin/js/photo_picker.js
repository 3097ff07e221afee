// The photo library as the article form's pickers use it (the body editor's photos and the lead photo):
// photos fetched by id, all those asked for at one moment in one request; a searchable dialog to choose one;
// and the warnings about restricted photos the form is using. Shared as window.PhotoLibrary.
(function () {
    "use strict";

    const MAX_IDS = 50;  // as many as the endpoint answers at once
    const known = new Map();  // id -> Promise of the photo, of null (no such photo) or undefined (not loaded)
    let pending = null;

    function endpoint(params) {
        const query = new URLSearchParams(params);
        const article = document.querySelector("[data-article-id]");
        if (article && article.dataset.articleId) {
            query.set("article", article.dataset.articleId);
        }
        return document.querySelector("[data-photo-picker-url]").dataset.photoPickerUrl + "?" + query;
    }

    function getJSON(params) {
        return fetch(endpoint(params), {credentials: "same-origin", headers: {Accept: "application/json"}})
            .then(function (response) {
                if (!response.ok) {
                    throw new Error("photo picker: " + response.status);
                }
                return response.json();
            });
    }

    function remember(photo) {
        known.set(String(photo.id), Promise.resolve(photo));
        return photo;
    }

    function flush() {
        const batch = pending;
        pending = null;
        const ids = Array.from(batch.keys());
        for (let start = 0; start < ids.length; start += MAX_IDS) {
            const chunk = ids.slice(start, start + MAX_IDS);
            getJSON({ids: chunk.join(",")}).then(function (data) {
                const found = new Map(data.results.map(function (photo) { return [String(photo.id), photo]; }));
                chunk.forEach(function (id) { batch.get(id)(found.has(id) ? remember(found.get(id)) : null); });
            }).catch(function () {
                chunk.forEach(function (id) {
                    known.delete(id);  // asked again next time
                    batch.get(id)(undefined);
                });
            });
        }
    }

    // One photo by id; the calls of one moment (every photo of the body as the editor opens) go out together.
    function photo(id) {
        id = String(id || "").trim();
        if (!/^[0-9]{1,10}$/.test(id)) {
            return Promise.resolve(null);
        }
        if (!known.has(id)) {
            if (!pending) {
                pending = new Map();
                queueMicrotask(flush);
            }
            known.set(id, new Promise(function (resolve) { pending.set(id, resolve); }));
        }
        return known.get(id);
    }

    function element(tag, className, text) {
        const node = document.createElement(tag);
        if (className) {
            node.className = className;
        }
        if (text) {
            node.textContent = text;
        }
        return node;
    }

    // "caption · Foto: credit", the way the article page credits a photo.
    function describe(photo) {
        return photo.text + (photo.credit ? " · Foto: " + photo.credit : "");
    }

    // A searchable dialog of library photos; resolves with the chosen photo, or null when closed without one.
    function choose(title) {
        return new Promise(function (resolve) {
            const dialog = element("dialog", "library-photo-picker");
            const heading = element("h2", "library-photo-picker__title", title);
            heading.id = "library-photo-picker-title";
            dialog.setAttribute("aria-labelledby", heading.id);
            const form = element("form");
            form.method = "dialog";
            const label = element("label", "library-photo-picker__search", "Traži po potpisu, autoru ili opisu");
            const input = element("input");
            input.type = "search";
            input.name = "q";
            input.autocomplete = "off";
            label.append(input);
            const status = element("p", "library-photo-picker__status");
            status.setAttribute("role", "status");
            const results = element("ul", "library-photo-picker__results");
            results.setAttribute("aria-label", "Fotografije");
            const cancel = element("button", "button", "Odustani");
            cancel.type = "submit";
            cancel.value = "";
            form.append(label, status, results, cancel);
            dialog.append(heading, form);
            document.body.append(dialog);
            let chosen = null;
            let asked = 0;
            let timer = null;

            function resultButton(photo) {
                const button = element("button", "library-photo-picker__result");
                button.type = "button";
                const thumb = element("img", "library-photo-picker__thumb");
                thumb.src = photo.thumb;
                thumb.alt = "";
                thumb.width = 96;
                const text = element("span", "library-photo-picker__text", describe(photo));
                button.append(thumb, text);
                if (photo.restriction.text) {
                    button.append(element("span", "photo-restriction", photo.restriction.text));
                }
                button.addEventListener("click", function () {
                    chosen = photo;
                    dialog.close();
                });
                const item = element("li");
                item.append(button);
                return item;
            }

            function search() {
                const words = input.value.trim();
                const ticket = ++asked;
                getJSON({q: words}).then(function (data) {
                    if (ticket !== asked) {
                        return;  // an answer to older words
                    }
                    results.replaceChildren.apply(results, data.results.map(remember).map(resultButton));
                    status.textContent = data.results.length
                        ? "Nađeno fotografija: " + data.results.length + "."
                        : (words ? "Nema fotografija za „" + words + "“." : "Biblioteka je prazna.");
                }).catch(function () {
                    if (ticket === asked) {
                        status.textContent = "Pretraga nije uspela; pokušajte ponovo.";
                    }
                });
            }

            function buttons() {
                return Array.from(results.querySelectorAll("button"));
            }

            input.addEventListener("input", function () {
                clearTimeout(timer);
                timer = setTimeout(search, 200);
            });
            input.addEventListener("keydown", function (event) {
                const first = buttons()[0];
                if ((event.key === "Enter" || event.key === "ArrowDown") && first) {
                    event.preventDefault();  // Enter would submit the dialog's form, which closes it
                    first.focus();
                } else if (event.key === "Enter") {
                    event.preventDefault();
                }
            });
            results.addEventListener("keydown", function (event) {
                const all = buttons();
                const index = all.indexOf(document.activeElement);
                if (event.key === "ArrowDown" && index < all.length - 1) {
                    event.preventDefault();
                    all[index + 1].focus();
                } else if (event.key === "ArrowUp") {
                    event.preventDefault();
                    (index > 0 ? all[index - 1] : input).focus();
                }
            });
            dialog.addEventListener("close", function () {
                clearTimeout(timer);
                dialog.remove();
                resolve(chosen);
            });
            dialog.showModal();
            input.focus();
            search();
        });
    }

    // The warnings for the photos the form now uses: the lead photo and those between paragraphs.
    let warned = 0;

    function usedIds() {
        const ids = [];
        const lead = document.querySelector("[data-lead-photo] input.lead-photo__id");
        if (lead && lead.value.trim()) {
            ids.push(lead.value.trim());
        }
        const body = document.getElementById("id_body");
        if (body) {
            for (const match of body.value.matchAll(/data-image-id="([0-9]+)"/g)) {
                ids.push(match[1]);
            }
        }
        return Array.from(new Set(ids));
    }

    function refreshWarnings() {
        const region = document.querySelector("[data-photo-warnings]");
        if (!region) {
            return Promise.resolve();
        }
        const ticket = ++warned;
        return Promise.all(usedIds().map(photo)).then(function (photos) {
            if (ticket !== warned) {
                return;
            }
            const warnings = new Set(photos.filter(Boolean).map(function (p) { return p.warning; }).filter(Boolean));
            region.replaceChildren.apply(region, Array.from(warnings).map(function (text) {
                return element("p", "photo-warnings__item", text);
            }));
        });
    }

    let bodyTimer = null;
    document.addEventListener("input", function (event) {
        if (event.target.id === "id_body") {
            clearTimeout(bodyTimer);
            bodyTimer = setTimeout(refreshWarnings, 300);
        }
    });

    window.PhotoLibrary = {
        photo: photo,
        choose: choose,
        describe: describe,
        element: element,
        refreshWarnings: refreshWarnings,
    };
})();
