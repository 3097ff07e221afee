// Galleries, progressively enhanced: without this script each is a plain list of figures. With it, one photo
// at a time, with a counter, buttons, swipe and the arrow keys; a photo is fetched only when it or a neighbour
// is shown.
(function () {
    "use strict";

    const SWIPE = 40; // px of mostly horizontal movement that turn the photo

    function enhance(gallery) {
        const items = Array.from(gallery.querySelectorAll(".gallery__item"));
        const controls = gallery.querySelector(".gallery__controls");
        const previous = gallery.querySelector("[data-gallery-previous]");
        const next = gallery.querySelector("[data-gallery-next]");
        const current = gallery.querySelector("[data-gallery-current]");
        const list = gallery.querySelector(".gallery__list");
        if (!items.length || !controls || !previous || !next || !current || !list) {
            return;
        }
        let shown = 0;

        function show(index) {
            if (index < 0 || index >= items.length) {
                return;
            }
            shown = index;
            items.forEach(function (item, at) {
                item.classList.toggle("is-current", at === index);
                if (Math.abs(at - index) <= 1) {
                    item.querySelectorAll("img[loading='lazy']").forEach(function (img) {
                        img.loading = "eager"; // the neighbours too, so turning the photo does not wait
                    });
                }
            });
            current.textContent = String(index + 1);
            const focused = document.activeElement;
            previous.disabled = index === 0;
            next.disabled = index === items.length - 1;
            if (focused && focused.disabled) {
                (focused === next ? previous : next).focus();
            }
        }

        gallery.classList.add("gallery--js");
        gallery.tabIndex = 0;
        controls.hidden = false;
        previous.addEventListener("click", function () { show(shown - 1); });
        next.addEventListener("click", function () { show(shown + 1); });
        gallery.addEventListener("keydown", function (event) {
            if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
                return;
            }
            if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
                event.preventDefault();
                show(shown + (event.key === "ArrowLeft" ? -1 : 1));
            }
        });

        let start = null;
        list.addEventListener("pointerdown", function (event) {
            if (event.isPrimary) {
                start = { x: event.clientX, y: event.clientY };
                list.setPointerCapture(event.pointerId); // the finger may be lifted over a button
            }
        });
        list.addEventListener("pointerup", function (event) {
            if (!start || !event.isPrimary) {
                return;
            }
            const dx = event.clientX - start.x;
            const dy = event.clientY - start.y;
            start = null;
            if (Math.abs(dx) >= SWIPE && Math.abs(dx) > Math.abs(dy)) {
                show(shown + (dx < 0 ? 1 : -1));
            }
        });
        list.addEventListener("pointercancel", function () { start = null; });
        list.addEventListener("dragstart", function (event) { event.preventDefault(); });
        show(0);
    }

    document.querySelectorAll("[data-gallery]").forEach(enhance);
})();
