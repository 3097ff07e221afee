// Videos and social posts in articles (articles/embeds.py): nothing is loaded from the provider until the
// reader presses the placeholder's button; then the provider's iframe takes its place, sandboxed. Without
// JavaScript the placeholder's link leads to the post on the provider's site.
(function () {
    "use strict";

    const ALLOW = "autoplay; fullscreen; picture-in-picture; encrypted-media";
    const MAX_HEIGHT = 4000;

    // The height a provider asks for, from the messages of the embeds we know; null for anything else.
    function askedHeight(data) {
        if (typeof data === "string") {
            try {
                data = JSON.parse(data);
            } catch (error) {
                return null;
            }
        }
        if (!data || typeof data !== "object") {
            return null;
        }
        const twitter = data["twttr.embed"];  // X: {"twttr.embed": {method: "twttr.private.resize", params: [{height}]}}
        if (twitter && twitter.method === "twttr.private.resize" && Array.isArray(twitter.params)) {
            return twitter.params[0] && twitter.params[0].height;
        }
        if (data.type === "MEASURE" && data.details) {  // Instagram: {type: "MEASURE", details: {height}}
            return data.details.height;
        }
        return null;
    }

    function load(figure, button) {
        const placeholder = figure.querySelector(".embed__placeholder");
        const title = figure.querySelector(".embed__title");
        const frame = document.createElement("iframe");
        frame.className = "embed__frame";
        frame.setAttribute("sandbox", figure.dataset.embedSandbox);
        frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
        frame.setAttribute("allow", ALLOW);
        frame.setAttribute("allowfullscreen", "");
        frame.title = title ? title.textContent : "";
        frame.src = figure.dataset.embedSrc;
        const origins = (figure.dataset.embedOrigins || "").split(" ").filter(Boolean);
        if (origins.length) {
            window.addEventListener("message", function (event) {
                if (origins.indexOf(event.origin) === -1 || event.source !== frame.contentWindow) {
                    return;  // another site, or another frame: not this post's size
                }
                const height = Number(askedHeight(event.data));
                if (Number.isFinite(height) && height > 0) {
                    frame.style.height = Math.min(Math.ceil(height), MAX_HEIGHT) + "px";
                    figure.dataset.embedResized = String(Math.min(Math.ceil(height), MAX_HEIGHT));
                }
            });
        }
        button.remove();
        placeholder.hidden = true;
        figure.classList.add("embed--loaded");
        figure.append(frame);
        frame.focus();
    }

    function prepare(root) {
        root.querySelectorAll("figure.embed[data-embed-src]").forEach(function (figure) {
            const button = figure.querySelector(".embed__load");
            if (!button || !button.hidden) {
                return;  // none, or already prepared
            }
            button.hidden = false;
            button.addEventListener("click", function () {
                load(figure, button);
            });
        });
    }

    prepare(document);
    // Entries a live blog inserts later (static/js/live.js) announce themselves with this event.
    document.addEventListener("citaonica:inserted", function (event) {
        prepare(event.target);
    });
})();
