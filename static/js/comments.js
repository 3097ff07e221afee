// Komentari, progressively enhanced: every form and link here also works as a plain POST or page load.
(function () {
    "use strict";

    const section = document.querySelector("[data-comments]");
    if (!section || !window.fetch) {
        return;
    }
    const notice = section.querySelector("[data-comment-notice]");
    const commentForm = section.querySelector("[data-comment-form]");
    const formHome = document.createComment("komentar-forma");
    if (commentForm) {
        commentForm.before(formHome);
    }

    function say(message, kind) {
        if (!notice) {
            return;
        }
        const paragraph = document.createElement("p");
        paragraph.className = "notice notice--" + (kind || "info");
        paragraph.textContent = message;
        notice.replaceChildren(paragraph);
    }

    function send(form, submitter, address) {
        const data = new FormData(form);
        if (submitter && submitter.name) {
            data.append(submitter.name, submitter.value);
        }
        return post(address || form.getAttribute("action"), data);
    }

    // Our JSON answer, with its HTTP status beside what it says.
    function post(address, data) {
        return fetch(address, {
            method: "POST",
            body: data,
            credentials: "same-origin",
            headers: {"Accept": "application/json"},
        }).then(function (response) {
            return response.json().then(function (payload) {
                payload.status = response.status;
                return payload;
            });
        });
    }

    // The page is the same for every reader (it may come from the shared cache): which reactions are this
    // reader's own comes from an uncached call, asked only by a reader who has an identity.
    const reactionForm = section.querySelector("[data-reaction-form]");
    const READER_MARK = "citalac";
    let myReactions = {};
    let identity = null;

    function remembered() {
        try {
            return window.localStorage.getItem(READER_MARK) === "1";
        } catch (error) {
            return false;
        }
    }

    // Reaction buttons are toggles, pressed for the reader's own reactions. A button is named for its
    // reaction (l: like, d: dislike) and its comment's id: "l51".
    const REACTION_VALUES = {l: 1, d: -1};
    const REACTION_BUTTONS = "[data-comment-list] button[name^=l], [data-comment-list] button[name^=d]";

    function markToggles() {
        section.querySelectorAll(REACTION_BUTTONS).forEach(function (button) {
            const mine = myReactions[button.name.slice(1)];
            const value = REACTION_VALUES[button.name[0]];
            button.setAttribute("aria-pressed", String(mine !== undefined && value === mine));
        });
    }
    markToggles();
    if (reactionForm && (remembered() || reactionForm.elements.csrfmiddlewaretoken)) {
        fetch(reactionForm.dataset.myReactions, {credentials: "same-origin", headers: {"Accept": "application/json"}})
            .then(function (response) { return response.ok ? response.json() : {reactions: {}}; })
            .then(function (payload) {
                myReactions = payload.reactions || {};
                markToggles();
            });
    }

    // A reader identity, asked for once before the first reaction or report (never made by the post that
    // uses it). If none can be had, the post still goes: it then counts for the reader's network only.
    function asReader() {
        if (!reactionForm) {
            return Promise.resolve();
        }
        if (!identity) {
            identity = fetch(reactionForm.dataset.reader, {
                method: "POST",
                credentials: "same-origin",
                headers: {"Accept": "application/json"},
            }).then(function (response) {
                if (response.ok) {
                    try {
                        window.localStorage.setItem(READER_MARK, "1");
                    } catch (error) {
                        // Storage refused (private mode): own reactions are just not pressed after a reload.
                    }
                }
            }, function () {
                identity = null;  // offline for a moment: ask again next time
            });
        }
        return identity;
    }

    // Live character counter.
    section.addEventListener("input", function (event) {
        const field = event.target.closest("textarea[data-max-length]");
        const box = field && (field.closest("[data-edit-box]") || field.form);
        const counter = box && box.querySelector("[data-counter]");
        if (counter) {
            counter.textContent = String(field.value.length);
        }
    });

    // Replying in place: the one form moves under the comment and carries its id.
    function replyTo(commentId, name, anchor) {
        commentForm.elements.reply_to.value = commentId || "0";
        const replying = commentForm.querySelector("[data-replying]");
        replying.hidden = !commentId;
        replying.querySelector("[data-replying-name]").textContent = name || "";
        if (commentId) {
            // Under the comment, before its replies.
            const item = anchor.closest("li");
            item.insertBefore(commentForm, item.querySelector(":scope > ol"));
            commentForm.elements.comment.focus();
        } else {
            formHome.after(commentForm);
        }
    }

    section.addEventListener("click", function (event) {
        // A comment's "Odgovori" (o51) and "Prijavi" (p51) buttons; without JavaScript they post the list's
        // form, which leads to the reply form or the report page.
        const reply = event.target.closest("[data-comment-list] button[name^=o]");
        const cancel = event.target.closest("[data-cancel-reply]");
        const more = event.target.closest("[data-load-more]");
        const reportButton = event.target.closest("[data-comment-list] button[name^=p]");
        if (reply && commentForm) {
            event.preventDefault();
            replyTo(reply.name.slice(1), reply.closest("li").querySelector("b").textContent, reply);
        } else if (cancel && commentForm) {
            event.preventDefault();
            replyTo(null, "", cancel);
        } else if (more) {
            event.preventDefault();
            loadMore(more);
        } else if (reportButton) {
            event.preventDefault();
            const form = document.getElementById("prijava-sablon").content.firstElementChild.cloneNode(true);
            const address = reactionForm.dataset.report.replace("/0/", "/" + reportButton.name.slice(1) + "/");
            form.setAttribute("action", address);
            reportButton.replaceWith(form);
            form.querySelector("select").focus();
        }
    });

    function loadMore(link) {
        link.setAttribute("aria-busy", "true");
        fetch(link.dataset.loadMore, {credentials: "same-origin"})
            .then(function (response) { return response.text(); })
            .then(function (html) {
                const fragment = new DOMParser().parseFromString(html, "text/html");
                const list = section.querySelector("[data-comment-list]");
                fragment.querySelectorAll("[data-comment-list] > li").forEach(function (item) {
                    list.append(item);
                });
                markToggles();
                const pages = section.querySelector("[data-comment-pages]");
                const nextLink = fragment.querySelector("[data-load-more]");
                if (nextLink) {
                    link.replaceWith(nextLink);
                } else if (pages) {
                    pages.remove();
                }
            });
    }

    // Listened to on the way down (capture): a form put inside the list's form (the reply form, a report form)
    // is nested in it, and a browser does not bubble a nested form's submit event up to the section.
    section.addEventListener("submit", function (event) {
        const form = event.target;
        if (form.matches("[data-comment-form]")) {
            event.preventDefault();
            submitComment(form);
        } else if (form.matches("[data-reaction-form]") && event.submitter) {
            // One form for the list; the pressed button's name says the reaction and the comment.
            event.preventDefault();
            const pressed = event.submitter;
            asReader().then(function () {
                return send(form, pressed);
            }).then(function (result) {
                if (!result.ok) {
                    say(result.message, "error");
                    return;
                }
                myReactions[pressed.name.slice(1)] = result.mine;
                const counts = {l: result.likes, d: result.dislikes};
                pressed.parentElement.querySelectorAll(":scope > button[name^=l], :scope > button[name^=d]").forEach(function (button) {
                    const kind = button.name[0];
                    button.lastChild.nodeValue = String(counts[kind]);  // after the hidden words
                    button.setAttribute("aria-pressed", String(REACTION_VALUES[kind] === result.mine));
                });
            });
        } else if (form.matches("[data-report-form]")) {
            event.preventDefault();
            asReader().then(function () {
                return send(form);
            }).then(function (result) {
                const message = document.createElement("p");
                message.className = "comment__reported";
                message.setAttribute("role", "status");
                message.textContent = result.message;
                form.replaceWith(message);
            });
        }
    }, true);

    function submitComment(form) {
        const button = form.querySelector("[type=submit]");
        button.disabled = true;
        form.querySelectorAll(".errorlist--live").forEach(function (list) { list.remove(); });
        send(form).then(function (result) {
            if (result.ok) {
                rememberAfterPost(form);
                keepEditGrant(result.edit);
                form.elements.comment.value = "";
                form.querySelector("[data-counter]").textContent = "0";
                replyTo(null, "", form);
                say(result.message, "success");
                notice.scrollIntoView({block: "nearest"});
                return;
            }
            say(result.message, "error");
            Object.keys(result.errors || {}).forEach(function (name) {
                const field = form.elements[name];
                if (!field || field.type === "hidden") {
                    return;
                }
                const list = document.createElement("ul");
                list.className = "errorlist errorlist--live";
                list.id = "greska-" + name;
                result.errors[name].forEach(function (text) {
                    const item = document.createElement("li");
                    item.textContent = text;
                    list.append(item);
                });
                field.before(list);
                field.setAttribute("aria-invalid", "true");
                field.setAttribute("aria-describedby", list.id);
            });
        }).catch(function () {
            form.submit();
        }).finally(function () {
            button.disabled = false;
        });
    }
    // Local storage only: never a cookie, so every page stays the same for every reader and cacheable.
    function stored(key) {
        try {
            return JSON.parse(window.localStorage.getItem(key) || "null");
        } catch (error) {
            return null;
        }
    }

    function store(key, value) {
        try {
            if (value === null) {
                window.localStorage.removeItem(key);
            } else {
                window.localStorage.setItem(key, JSON.stringify(value));
            }
            return true;
        } catch (error) {
            return false;  // storage refused (private mode): nothing is remembered
        }
    }

    function fromTemplate(id) {
        const template = document.getElementById(id);
        return template ? template.content.firstElementChild.cloneNode(true) : null;
    }

    // "Zapamti me": the name and address the reader chose to keep on this device fill the form.
    const REMEMBERED = "komentari-zapamti";
    const rememberRow = commentForm && commentForm.querySelector("[data-remember]");
    const rememberBox = rememberRow && rememberRow.querySelector("[data-remember-box]");

    function showRemembered(person) {
        const shown = commentForm.querySelector("[data-remembered]");
        if (shown) {
            shown.remove();
        }
        if (!person) {
            return;
        }
        const line = fromTemplate("zapamcen-sablon");
        if (!line) {
            return;
        }
        line.querySelector("[data-remembered-name]").textContent = person.name;
        commentForm.querySelector(".comment-form__title").after(line);
    }

    function forget() {
        store(REMEMBERED, null);
        commentForm.elements.name.value = "";
        commentForm.elements.email.value = "";
        rememberBox.checked = false;
        showRemembered(null);
        const forgotten = fromTemplate("zaboravljen-sablon");
        say(forgotten ? forgotten.textContent : "", "info");
        commentForm.elements.name.focus();
    }

    function rememberAfterPost(form) {
        if (!rememberBox || form !== commentForm) {
            return;
        }
        if (rememberBox.checked) {
            const person = {name: form.elements.name.value, email: form.elements.email.value};
            if (store(REMEMBERED, person)) {
                showRemembered(person);
            }
        } else {
            store(REMEMBERED, null);
            showRemembered(null);
        }
    }

    function storageWorks() {
        try {
            window.localStorage.setItem("komentari-proba", "1");
            window.localStorage.removeItem("komentari-proba");
            return true;
        } catch (error) {
            return false;
        }
    }

    if (rememberBox && storageWorks()) {
        rememberRow.hidden = false;
        const person = stored(REMEMBERED);
        if (person && typeof person.name === "string" && typeof person.email === "string") {
            commentForm.elements.name.value = commentForm.elements.name.value || person.name;
            commentForm.elements.email.value = commentForm.elements.email.value || person.email;
            rememberBox.checked = true;
            showRemembered(person);
        }
        commentForm.addEventListener("click", function (event) {
            if (event.target.closest("[data-forget]")) {
                event.preventDefault();
                forget();
            }
        });
    }

    // The editing window: the author's own comments, known by the grants this browser keeps (the comment's
    // id, the token that proves authorship, until when, and the text as sent), get "Izmeni".
    const EDITS = "komentari-izmene";
    const articleId = section.dataset.article;
    const editAddress = section.dataset.editUrl;
    const ownBox = section.querySelector("[data-own-comments]");
    // A signed-in author's grants (no token: the session proves authorship) last only as long as this page:
    // the server shows their own comments, and nothing of an account stays in the browser.
    const pageGrants = {};

    function grants() {
        const all = stored(EDITS) || {};
        const now = Date.now();
        let pruned = false;
        Object.keys(all).forEach(function (id) {
            if (!all[id] || !(Date.parse(all[id].until) > now)) {
                delete all[id];
                pruned = true;
            }
        });
        if (pruned) {
            store(EDITS, Object.keys(all).length ? all : null);
        }
        return all;
    }

    function saveGrant(id, grant) {
        const all = grants();
        if (grant) {
            all[id] = grant;
        } else {
            delete all[id];
        }
        store(EDITS, Object.keys(all).length ? all : null);
    }

    function keepEditGrant(grant) {
        if (!grant || !editAddress) {
            return;
        }
        const kept = {token: grant.token, until: grant.until, text: grant.text, article: articleId, pending: true};
        if (grant.token) {
            saveGrant(String(grant.id), kept);
        } else {
            pageGrants[String(grant.id)] = kept;
        }
        showEditable();
    }

    // Signed-in readers' own editable comments may also come with the section (data-own-editable, a JSON
    // object of id: {until, text}); the session is their proof.
    function ownEditable() {
        const all = Object.assign(grants(), pageGrants);
        let fromPage = {};
        try {
            fromPage = JSON.parse(section.dataset.ownEditable || "{}");
        } catch (error) {
            fromPage = {};
        }
        Object.keys(fromPage).forEach(function (id) {
            if (!all[id] && Date.parse(fromPage[id].until) > Date.now()) {
                all[id] = {token: "", until: fromPage[id].until, text: fromPage[id].text, article: articleId};
            }
        });
        return all;
    }

    function minutesLeft(grant) {
        return Math.max(0, Math.ceil((Date.parse(grant.until) - Date.now()) / 60000));
    }

    function placeFor(id, grant) {
        const item = document.getElementById("k" + id);
        if (item) {
            return item;
        }
        if (!grant.pending || !ownBox) {
            return null;
        }
        let own = ownBox.querySelector('[data-own-comment="' + id + '"]');
        if (!own) {
            own = fromTemplate("moj-komentar-sablon");
            if (!own) {
                return null;
            }
            own.dataset.ownComment = id;
            own.querySelector("[data-own-text]").textContent = grant.text;
            ownBox.append(own);
            ownBox.hidden = false;
        }
        return own;
    }

    function showEditable() {
        const all = ownEditable();
        section.querySelectorAll("[data-edit-open]").forEach(function (button) {
            const id = button.dataset.editOpen;
            if (!all[id]) {
                button.remove();
            } else {
                button.querySelector("[data-edit-minutes]").textContent = String(minutesLeft(all[id]));
            }
        });
        Object.keys(all).forEach(function (id) {
            const grant = all[id];
            if (grant.article !== articleId) {
                return;
            }
            const place = placeFor(id, grant);
            if (!place || place.querySelector("[data-edit-open], [data-edit-box]")) {
                return;
            }
            const button = fromTemplate("izmeni-sablon");
            if (!button) {
                return;
            }
            button.dataset.editOpen = id;
            button.querySelector("[data-edit-minutes]").textContent = String(minutesLeft(grant));
            const text = place.querySelector(":scope > p:not(.comment-own__label)");
            (text || place.lastElementChild).after(button);
        });
    }

    function openEditor(button) {
        const id = button.dataset.editOpen;
        const grant = ownEditable()[id];
        const editor = fromTemplate("izmena-sablon");
        if (!grant || !editor) {
            return;
        }
        const field = editor.querySelector("[data-edit-text]");
        field.value = grant.text || "";
        editor.querySelector("[data-counter]").textContent = String(field.value.length);
        editor.dataset.editBox = id;
        button.replaceWith(editor);
        field.focus();
    }

    function closeEditor(editor) {
        const id = editor.dataset.editBox;
        editor.remove();
        showEditable();
        const again = section.querySelector('[data-edit-open="' + id + '"]');
        if (again) {
            again.focus();
        }
    }

    function saveEdit(editor) {
        const id = editor.dataset.editBox;
        const grant = ownEditable()[id];
        const saveButton = editor.querySelector("[data-edit-save]");
        if (!grant) {
            closeEditor(editor);
            return;
        }
        const data = new FormData();
        data.append("token", grant.token || "");
        data.append("comment", editor.querySelector("[data-edit-text]").value);
        const csrf = section.querySelector("[name=csrfmiddlewaretoken]");
        if (csrf) {
            data.append("csrfmiddlewaretoken", csrf.value);
        }
        saveButton.disabled = true;
        post(editAddress.replace("/0/", "/" + id + "/"), data).then(function (result) {
            say(result.message, result.ok ? "success" : "error");
            if (result.ok) {
                const text = editor.querySelector("[data-edit-text]").value.trim();
                if (grant.token) {
                    grant.text = text;
                    saveGrant(id, grant);
                }
                const own = editor.closest("[data-own-comment]");
                if (own && result.state === "pending") {
                    own.querySelector("[data-own-text]").textContent = result.text;
                }
                closeEditor(editor);
            } else if (result.status === 403 || result.status === 404) {
                saveGrant(id, null);  // the window is over, or the comment cannot be edited any more
                closeEditor(editor);
            }
        }).catch(function () {
            const failed = fromTemplate("izmena-greska-sablon");
            say(failed ? failed.textContent : "", "error");
        }).finally(function () {
            saveButton.disabled = false;
        });
    }

    if (editAddress) {
        showEditable();
        window.setInterval(showEditable, 30000);  // the minutes left, and the buttons gone when the time is
        section.addEventListener("click", function (event) {
            const open = event.target.closest("[data-edit-open]");
            const save = event.target.closest("[data-edit-save]");
            const cancel = event.target.closest("[data-edit-cancel]");
            if (open) {
                event.preventDefault();
                openEditor(open);
            } else if (save) {
                event.preventDefault();
                saveEdit(save.closest("[data-edit-box]"));
            } else if (cancel) {
                event.preventDefault();
                closeEditor(cancel.closest("[data-edit-box]"));
            }
        });
        section.addEventListener("keydown", function (event) {
            const editor = event.target.closest("[data-edit-box]");
            if (editor && event.key === "Escape") {
                event.preventDefault();
                closeEditor(editor);
            }
        });
    }
})();
