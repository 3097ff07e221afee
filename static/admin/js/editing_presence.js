// Warns that someone else has this article open; the server keeps presence alive while heartbeats arrive.
(function () {
    "use strict";
    const region = document.querySelector("[data-presence-url]");
    const token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (!region || !region.dataset.presenceUrl || !token || !window.fetch) {
        return;
    }
    const HEARTBEAT_MS = 30000;  // well inside the server's 90 s presence window

    function show(others) {
        // Same wording as templates/admin/articles/editing_warning.html renders on page load.
        const text = others.length
            ? "Pažnja: ovaj članak upravo " + (others.length > 1 ? "uređuju" : "uređuje") + " i " + others.join(", ") +
              ". Izmene koje sačuvate mogu da ponište tuđe."
            : "";
        const current = region.querySelector("li.warning");
        if ((current ? current.textContent : "") === text) {
            return;  // unchanged: leave the live region alone so screen readers do not repeat it
        }
        region.replaceChildren();
        if (text) {
            const list = document.createElement("ul");
            list.className = "messagelist";
            const item = document.createElement("li");
            item.className = "warning";
            item.textContent = text;
            list.append(item);
            region.append(list);
        }
    }

    function beat() {
        fetch(region.dataset.presenceUrl, {
            method: "POST",
            credentials: "same-origin",
            headers: {"X-CSRFToken": token.value},
        })
            .then(function (response) { return response.ok ? response.json() : null; })
            .then(function (data) {
                if (data && Array.isArray(data.others)) {
                    show(data.others);
                }
            })
            .catch(function () {});  // offline or logged out: the page keeps working without the warning
    }

    beat();
    window.setInterval(beat, HEARTBEAT_MS);
})();
