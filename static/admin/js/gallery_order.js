// A gallery's photos in the admin (GalleryAdmin): each row's photo chosen in the photo library's dialog
// (photo_picker.js), and the rows put in order by dragging a row's handle, or from the keyboard (the handle
// with ArrowUp / ArrowDown, or the "Gore" and "Dole" buttons). The new place is announced. The order on screen
// is written into each row's position input, which the form saves; without this script the positions are typed.
(function () {
    "use strict";

    const PREFIX = "items";

    function setUp() {
        const group = document.getElementById(PREFIX + "-group");
        if (!group || !window.PhotoLibrary) {
            return;
        }
        const library = window.PhotoLibrary;
        const element = library.element;
        group.classList.add("gallery-items--ordered");
        const live = element("p", "gallery-order__live");
        live.setAttribute("aria-live", "polite");
        live.setAttribute("role", "status");
        const help = element("p", "help gallery-order__help",
            "Redosled menjate prevlačenjem ručice ⠿ ili sa tastature: ručica pa strelice gore i dole, ili dugmad „Gore“ i „Dole“.");
        help.id = "gallery-order-help";
        const heading = group.querySelector(".inline-heading");
        heading.after(help, live);

        function rows() {
            return Array.from(group.querySelectorAll(".inline-related:not(.empty-form)"));
        }

        function photoId(row) {
            const input = row.querySelector(".gallery-photo__id");
            return input ? input.value.trim() : "";
        }

        // Rows with a photo get 1, 2, 3... in the order shown; an empty row stays empty (it is not saved).
        function renumber() {
            const all = rows();
            let place = 0;
            all.forEach(function (row, index) {
                const position = row.querySelector(".gallery-item__position");
                if (position) {
                    position.value = photoId(row) ? String(++place) : "";
                }
                const shown = row.querySelector(".gallery-order__place");
                if (shown) {
                    shown.textContent = "Mesto " + (index + 1) + " od " + all.length;
                }
                const up = row.querySelector("[data-gallery-up]");
                const down = row.querySelector("[data-gallery-down]");
                if (up) {
                    up.disabled = index === 0;
                    down.disabled = index === all.length - 1;
                }
            });
        }

        function announce(row) {
            const all = rows();
            live.textContent = "Fotografija premeštena na mesto " + (all.indexOf(row) + 1) + " od " + all.length + ".";
        }

        function move(row, offset) {
            const all = rows();
            const index = all.indexOf(row);
            const target = index + offset;
            if (target < 0 || target >= all.length) {
                return false;
            }
            if (offset < 0) {
                all[target].before(row);
            } else {
                all[target].after(row);
            }
            renumber();
            announce(row);
            return true;
        }

        function dragging(row, handle) {
            // Pointer events: a mouse, a finger or a pen. The row follows the pointer among the others.
            handle.addEventListener("pointerdown", function (event) {
                if (event.button !== 0) {
                    return;
                }
                event.preventDefault();
                handle.focus();
                row.classList.add("gallery-order--dragging");
                let moved = false;

                function follow(moveEvent) {
                    const others = rows().filter(function (other) { return other !== row; });
                    const before = others.find(function (other) {
                        const box = other.getBoundingClientRect();
                        return moveEvent.clientY < box.top + box.height / 2;
                    });
                    const current = rows();
                    const nextInPlace = current[current.indexOf(row) + 1];
                    if (before && before !== nextInPlace) {
                        before.before(row);
                        moved = true;
                    } else if (!before && nextInPlace) {
                        const last = others[others.length - 1];
                        last.after(row);
                        moved = true;
                    }
                    if (moved) {
                        renumber();
                    }
                }

                function stop() {
                    document.removeEventListener("pointermove", follow);
                    document.removeEventListener("pointerup", stop);
                    document.removeEventListener("pointercancel", stop);
                    row.classList.remove("gallery-order--dragging");
                    if (moved) {
                        announce(row);
                    }
                }

                // On the document, not the handle: moving the row in the page ends a pointer capture.
                document.addEventListener("pointermove", follow);
                document.addEventListener("pointerup", stop);
                document.addEventListener("pointercancel", stop);
            });
        }

        function controls(row) {
            const heading = row.querySelector("h3");
            if (!heading || row.querySelector(".gallery-order")) {
                return;
            }
            const bar = element("span", "gallery-order");
            const handle = element("button", "gallery-order__handle", "⠿");
            handle.type = "button";
            handle.setAttribute("aria-label", "Premesti fotografiju");
            handle.setAttribute("aria-describedby", help.id);
            handle.dataset.galleryHandle = "";
            const place = element("span", "gallery-order__place");
            const up = element("button", "button gallery-order__move", "Gore");
            up.type = "button";
            up.dataset.galleryUp = "";
            const down = element("button", "button gallery-order__move", "Dole");
            down.type = "button";
            down.dataset.galleryDown = "";
            bar.append(handle, place, up, down);
            heading.prepend(bar);
            handle.addEventListener("keydown", function (event) {
                const offset = {ArrowUp: -1, ArrowDown: 1}[event.key];
                if (offset) {
                    event.preventDefault();
                    move(row, offset);
                    handle.focus();
                }
            });
            up.addEventListener("click", function () {
                move(row, -1);
                (up.disabled ? down : up).focus();
            });
            down.addEventListener("click", function () {
                move(row, 1);
                (down.disabled ? up : down).focus();
            });
            dragging(row, handle);
            const position = row.querySelector(".field-position");
            if (position) {
                position.hidden = true;  // the order on screen is the position now
            }
            photoPicker(row);
        }

        function photoPicker(row) {
            const widget = row.querySelector("[data-gallery-photo]");
            if (!widget) {
                return;
            }
            const input = widget.querySelector(".gallery-photo__id");
            const current = widget.querySelector("[data-gallery-photo-current]");
            const choose = widget.querySelector("[data-gallery-photo-choose]");
            widget.querySelector(".gallery-photo__manual").hidden = true;
            widget.querySelector("[data-gallery-photo-actions]").hidden = false;

            function show(photo) {
                const thumb = element("img", "gallery-photo__thumb");
                thumb.src = photo.thumb;
                thumb.alt = photo.alt;
                thumb.width = 120;
                const text = element("div", "gallery-photo__text");
                text.append(element("p", "gallery-photo__caption", photo.caption));
                if (photo.credit) {
                    text.append(element("p", "gallery-photo__credit", "Foto: " + photo.credit));
                }
                if (photo.restriction.text) {
                    text.append(element("p", "photo-restriction", photo.restriction.text));
                }
                current.replaceChildren(thumb, text);
                choose.textContent = "Promeni fotografiju";
            }

            choose.addEventListener("click", function () {
                library.choose("Fotografija za galeriju").then(function (photo) {
                    if (photo) {
                        input.value = String(photo.id);
                        input.dispatchEvent(new Event("change", {bubbles: true}));
                        show(photo);
                        renumber();
                    }
                    choose.focus();
                });
            });
        }

        // Django's inline script numbers the rows by their order in the page when an added row is removed: a
        // saved row moved below an added one would take that number and be saved as a new photo. So for the
        // removal the rows stand in the order of their numbers, and afterwards in the order the editor gave them.
        const template = group.querySelector(".inline-related.empty-form");
        let orderBeforeRemoval = null;

        function formNumber(row) {
            return parseInt(row.id.slice(PREFIX.length + 1), 10);
        }

        group.addEventListener("click", function (event) {
            if (!template || !event.target.closest(".inline-deletelink")) {
                return;
            }
            orderBeforeRemoval = rows();
            orderBeforeRemoval.slice()
                .sort(function (a, b) { return formNumber(a) - formNumber(b); })
                .forEach(function (row) { template.before(row); });
        }, true);

        rows().forEach(controls);
        renumber();
        document.addEventListener("formset:added", function (event) {
            if (event.detail && event.detail.formsetName === PREFIX) {
                controls(event.target);
                renumber();
            }
        });
        document.addEventListener("formset:removed", function (event) {
            if (event.detail && event.detail.formsetName === PREFIX) {
                // Django renumbers the rows after telling us, in the same handler: put them back once it is done.
                const shown = orderBeforeRemoval;
                orderBeforeRemoval = null;
                queueMicrotask(function () {
                    if (shown) {
                        shown.filter(function (row) { return row.isConnected; })
                            .forEach(function (row) { template.before(row); });
                    }
                    renumber();
                });
            }
        });
    }

    // The admin loads form scripts in the page's head, before the rows exist.
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", setUp);
    } else {
        setUp();
    }
})();
