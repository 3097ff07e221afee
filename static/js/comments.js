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
        return fetch(address || form.getAttribute("action"), {
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
        const counter = field && field.form.querySelector("[data-counter]");
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
})();
