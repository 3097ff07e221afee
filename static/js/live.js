// A live blog's new entries without reloading (articles/live.py): the page asks its small cached part for
// entries newer than the newest it shows, at most every data-live-interval seconds (20), only while the tab is
// shown, with If-None-Match so an unchanged part costs a 304. New entries go on top; a polite live region
// says how many arrived, and focus stays where the reader left it. Polling stops when coverage ends.
(function () {
    "use strict";

    const section = document.querySelector(".live[data-live-url]");
    if (!section || !window.fetch) {
        return;
    }
    const list = section.querySelector("[data-live-entries]");
    const news = section.querySelector("[data-live-news]");
    const interval = Math.max(1, Number(section.dataset.liveInterval) || 20) * 1000;
    let newest = section.dataset.liveNewest || "0";
    let etag = "";
    let timer = null;
    let stopped = false;
    let busy = false;
    let lastPoll = Date.now();  // the page itself was the latest answer

    // Written here, not by the page: on a Cyrillic page (lang sr-Cyrl) in Cyrillic, as the page is.
    const WORDS = document.documentElement.lang === "sr-Cyrl"
        ? ["нови унос", "нова уноса", "нових уноса"]
        : ["novi unos", "nova unosa", "novih unosa"];

    function entriesWord(count) {
        const lastTwo = count % 100;
        const last = count % 10;
        if (last === 1 && lastTwo !== 11) {
            return count + " " + WORDS[0];
        }
        if (last >= 2 && last <= 4 && (lastTwo < 12 || lastTwo > 14)) {
            return count + " " + WORDS[1];
        }
        return count + " " + WORDS[2];
    }

    function insert(part) {
        const entries = Array.from(part.querySelectorAll(".live-entry"));
        const known = entries.filter(function (entry) {
            return !document.getElementById(entry.id);
        });
        if (!known.length) {
            return;
        }
        const empty = list.querySelector(".live__empty");
        if (empty) {
            empty.remove();
        }
        const block = document.createDocumentFragment();
        known.forEach(function (entry) {
            block.append(entry);
        });
        list.prepend(block);
        known.forEach(function (entry) {
            entry.dispatchEvent(new CustomEvent("citaonica:inserted", {bubbles: true}));
        });
        news.textContent = entriesWord(known.length);
    }

    function schedule() {
        clearTimeout(timer);
        timer = null;
        if (!stopped && !document.hidden) {
            // Never sooner than the interval after the last poll, however often the tab is hidden and shown.
            timer = setTimeout(poll, Math.max(0, lastPoll + interval - Date.now()));
        }
    }

    function poll() {
        if (stopped || busy || document.hidden) {
            return;
        }
        busy = true;
        lastPoll = Date.now();
        const url = section.dataset.liveUrl + (newest !== "0" ? "?posle=" + encodeURIComponent(newest) : "");
        const headers = etag ? {"If-None-Match": etag} : {};
        fetch(url, {headers: headers, cache: "no-store", credentials: "same-origin"})
            .then(function (response) {
                if (response.status === 304) {
                    return null;
                }
                if (!response.ok) {
                    throw new Error("live part " + response.status);
                }
                etag = response.headers.get("ETag") || "";
                return response.text();
            })
            .then(function (text) {
                if (text === null) {
                    return;
                }
                const template = document.createElement("template");
                template.innerHTML = text;
                const part = template.content.querySelector(".live-poll");
                if (!part) {
                    return;
                }
                insert(part);
                if (part.dataset.liveNewest && part.dataset.liveNewest !== newest) {
                    newest = part.dataset.liveNewest;
                    etag = "";  // another address from now on
                }
                if (part.dataset.liveState === "ended") {
                    stopped = true;
                    section.removeAttribute("data-live-url");
                }
            })
            .catch(function () {
                // A failed poll is tried again at the next interval; the page itself stays as it is.
            })
            .finally(function () {
                busy = false;
                schedule();
            });
    }

    document.addEventListener("visibilitychange", function () {
        if (document.hidden) {
            clearTimeout(timer);
            timer = null;
        } else if (!busy) {
            schedule();
        }
    });
    schedule();
})();
