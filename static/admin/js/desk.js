// The moderation desk by keyboard and without page reloads; every form also works as a plain POST.
(function () {
    "use strict";
    const desk = document.querySelector("[data-desk]");
    if (!desk || !window.fetch) {
        return;
    }
    const status = desk.querySelector("[data-desk-status]");
    const items = Array.from(desk.querySelectorAll("[data-desk-item]"));
    const help = desk.querySelector("#desk-pomoc");
    const helpToggle = desk.querySelector("[data-help-toggle]");
    let current = items.length ? 0 : -1;
    let awaitingReason = false;

    function focusItem(index) {
        if (!items.length) {
            return;
        }
        current = Math.max(0, Math.min(items.length - 1, index));
        items.forEach(function (item, position) {
            item.classList.toggle("desk-item--current", position === current);
        });
        items[current].focus();
        items[current].scrollIntoView({block: "nearest"});
    }

    function say(message) {
        status.textContent = message;
    }

    function post(form, action) {
        const data = new FormData(form);
        if (action) {
            data.set("action", action);
        }
        return fetch(form.getAttribute("action"), {
            method: "POST",
            body: data,
            credentials: "same-origin",
            headers: {"Accept": "application/json"},
        }).then(function (response) {
            return response.json();
        });
    }

    function decide(item, action) {
        const form = item.querySelector("[data-decision-form]");
        post(form, action).then(function (result) {
            say(result.message);
            if (!result.ok) {
                return;
            }
            const id = item.dataset.comment;
            item.querySelector("[data-state]").textContent = result.states[id];
            form.elements.version.value = result.versions[id];
            item.dataset.version = result.versions[id];
            item.classList.add("desk-item--decided");
            focusItem(current + 1);
        });
    }

    desk.addEventListener("submit", function (event) {
        const form = event.target;
        if (form.matches("[data-decision-form]")) {
            event.preventDefault();
            const item = form.closest("[data-desk-item]");
            current = items.indexOf(item);
            decide(item, event.submitter ? event.submitter.value : null);
        } else if (form.matches("[data-undo-form]")) {
            event.preventDefault();
            post(form).then(function (result) {
                say(result.message);
                const item = result.ok && document.getElementById("d" + result.comment);
                if (item) {
                    item.classList.remove("desk-item--decided");
                    item.querySelector("[data-state]").textContent = "poništeno, osvežite za stanje";
                }
            });
        }
    });

    function toggleHelp() {
        help.hidden = !help.hidden;
        helpToggle.setAttribute("aria-expanded", String(!help.hidden));
    }
    helpToggle.addEventListener("click", toggleHelp);

    document.addEventListener("keydown", function (event) {
        const typing = event.target.closest("input, textarea, select");
        if (typing || event.ctrlKey || event.metaKey || event.altKey) {
            return;
        }
        const item = items[current];
        if (awaitingReason && /^[1-9]$/.test(event.key) && item) {
            const select = item.querySelector("[data-reason]");
            const option = select.options[Number(event.key) - 1];
            awaitingReason = false;
            if (option) {
                select.value = option.value;
                decide(item, "reject");
            }
            event.preventDefault();
            return;
        }
        awaitingReason = false;
        const handled = {
            "j": function () { focusItem(current + 1); },
            "k": function () { focusItem(current - 1); },
            "a": function () { if (item) { decide(item, "approve"); } },
            "f": function () {
                if (item) {
                    decide(item, item.querySelector("[data-key=f]").value);
                }
            },
            "r": function () {
                if (item) {
                    awaitingReason = true;
                    say("Razlog odbijanja: pritisnite broj 1–9.");
                }
            },
            "b": function () {
                if (item) {
                    const ban = item.querySelector("[data-ban]");
                    ban.open = true;
                    ban.querySelector("input[name=reason]").focus();
                }
            },
            "u": function () { desk.querySelector("[data-undo-form]").requestSubmit(); },
            "?": toggleHelp,
        }[event.key];
        if (handled) {
            event.preventDefault();
            handled();
        }
    });

    focusItem(0);
})();
