// The lead photo: its thumbnail, caption, credit and restriction, chosen in the photo library's dialog
// (photo_picker.js). The id stays in the plain input the form posts; without this script it is typed there.
(function () {
    "use strict";

    function setUp() {
        const widget = document.querySelector("[data-lead-photo]");
        if (!widget || !window.PhotoLibrary) {
            return;
        }
        const library = window.PhotoLibrary;
        const element = library.element;
        const input = widget.querySelector(".lead-photo__id");
        const current = widget.querySelector("[data-lead-photo-current]");
        const choose = widget.querySelector("[data-lead-photo-choose]");
        const remove = widget.querySelector("[data-lead-photo-remove]");
        // The widget names itself (the lead photo, a live entry's photo): the group's label and empty text.
        const label = widget.getAttribute("aria-label");
        const emptyText = widget.dataset.emptyText;
        widget.querySelector(".lead-photo__manual").hidden = true;
        widget.querySelector("[data-lead-photo-actions]").hidden = false;

        function show(photo, id) {
            if (photo) {
                const thumb = element("img", "lead-photo__thumb");
                thumb.src = photo.thumb;
                thumb.alt = photo.alt;
                thumb.width = 160;
                const text = element("div", "lead-photo__text");
                text.append(element("p", "lead-photo__caption", photo.text));
                if (photo.credit) {
                    text.append(element("p", "lead-photo__credit", "Foto: " + photo.credit));
                }
                if (photo.restriction.text) {
                    text.append(element("p", "lead-photo__restriction", photo.restriction.text));
                }
                current.replaceChildren(thumb, text);
            } else if (id) {
                current.replaceChildren(element("p", "lead-photo__missing", "Fotografija #" + id + " ne postoji u biblioteci."));
            } else {
                current.replaceChildren(element("p", "lead-photo__empty", emptyText));
            }
            choose.textContent = id ? "Promeni" : "Izaberi fotografiju";
            remove.hidden = !id;
        }

        function set(id, photo) {
            input.value = id;
            input.dispatchEvent(new Event("input", {bubbles: true}));
            input.dispatchEvent(new Event("change", {bubbles: true}));
            show(photo, id);
            library.refreshWarnings();
            choose.focus();
        }

        choose.addEventListener("click", function () {
            library.choose(label).then(function (photo) {
                if (photo) {
                    set(String(photo.id), photo);
                }
            });
        });
        remove.addEventListener("click", function () {
            set("", null);
        });
    }

    // The admin loads form scripts in the page's head, before the widget exists.
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", setUp);
    } else {
        setUp();
    }
})();
