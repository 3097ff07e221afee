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

    function showCounts(counts) {
        Object.keys(counts || {}).forEach(function (slug) {
            const count = desk.querySelector('[data-queue-count="' + slug + '"]');
            if (count) {
                count.textContent = counts[slug];
            }
        });
    }

    function decide(item, action) {
        const form = item.querySelector("[data-decision-form]");
        const reason = form.elements.reason;
        if (item.hasAttribute("data-edit") && (action === "approve" || action === "reject")) {
            action += "_edit";  // an author's edit of an approved comment: the keys decide on the edit
        }
        if ((action === "reject" || action === "reject_edit") && !reason.value) {
            say("Izaberite razlog odbijanja.");
            reason.focus();
            return;
        }
        post(form, action).then(function (result) {
            say(result.message);
            showCounts(result.counts);
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
                showCounts(result.counts);
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

    // Shortcuts follow the physical key (event.code), so "a" is the A key on a Cyrillic layout too, where it
    // types "а". Without a code (some on-screen keyboards) the character typed decides.
    const KEYS = {
        KeyJ: "j", KeyK: "k", KeyA: "a", KeyF: "f", KeyR: "r", KeyB: "b", KeyU: "u", Escape: "Escape",
    };
    for (let digit = 1; digit <= 9; digit += 1) {
        KEYS["Digit" + digit] = String(digit);
        KEYS["Numpad" + digit] = String(digit);
    }

    function shortcut(event) {
        if (event.key === "?" || (event.code === "Slash" && event.shiftKey)) {
            return "?";
        }
        if (event.shiftKey) {
            return null;
        }
        if (event.code) {
            return KEYS[event.code] || null;
        }
        return Object.values(KEYS).indexOf(event.key) >= 0 ? event.key : null;
    }

    function reasonOptions(item) {
        return Array.from(item.querySelector("[data-reason]").options).filter(function (option) {
            return option.value;
        });
    }

    function chooseReason(item, name) {
        const option = /^[1-9]$/.test(name || "") && reasonOptions(item)[Number(name) - 1];
        if (!option) {
            say("Komentar nije odbijen: razlog nije izabran.");
            return;
        }
        item.querySelector("[data-reason]").value = option.value;
        decide(item, "reject");
    }

    document.addEventListener("keydown", function (event) {
        const typing = event.target.closest("input, textarea, select");
        const modifierAlone = ["Shift", "Control", "Alt", "AltGraph", "Meta", "CapsLock"].indexOf(event.key) >= 0;
        if (typing || modifierAlone || event.ctrlKey || event.metaKey || event.altKey) {
            return;
        }
        const name = shortcut(event);
        const item = items[current];
        if (awaitingReason) {
            awaitingReason = false;
            if (item) {
                event.preventDefault();
                chooseReason(item, name);
            }
            return;
        }
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
                    say("Razlog odbijanja: " + reasonOptions(item).map(function (option) {
                        return option.textContent.replace(".", "");
                    }).join(" · ") + " (Esc otkazuje)");
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
        }[name];
        if (handled) {
            event.preventDefault();
            handled();
        }
    });

    focusItem(0);
})();
