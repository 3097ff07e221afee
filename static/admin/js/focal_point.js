// The focal point on the photo form: a click on the photo, or the arrow keys while it has the focus (1 % a
// press, 10 % with Shift), set the two number inputs the form posts; without this script they are typed.
// The crop previews are redrawn by the rule the server cuts them with (articles/renditions.py crop_box).
(function () {
    "use strict";

    const PRECISION = 1000; // three decimals, as the server keeps them

    function clamp(value) {
        return Math.min(1, Math.max(0, value));
    }

    function read(input) {
        const value = parseFloat(String(input.value).replace(",", "."));
        return Number.isFinite(value) ? clamp(value) : 0.5;
    }

    // The largest box of the crop's shape inside the photo, centred on the point as far as the photo allows.
    function cropBox(width, height, ratioWidth, ratioHeight, x, y) {
        let boxWidth = width;
        let boxHeight = height;
        if (width * ratioHeight > height * ratioWidth) {
            boxWidth = Math.max(1, Math.min(width, Math.round(height * ratioWidth / ratioHeight)));
        } else {
            boxHeight = Math.max(1, Math.min(height, Math.round(width * ratioHeight / ratioWidth)));
        }
        const left = Math.min(Math.max(Math.round(x * width - boxWidth / 2), 0), width - boxWidth);
        const top = Math.min(Math.max(Math.round(y * height - boxHeight / 2), 0), height - boxHeight);
        return {left: left, top: top, width: boxWidth, height: boxHeight};
    }

    function percent(value) {
        return Math.round(value * 100) + " %";
    }

    function setUp(widget) {
        const form = widget.closest("form");
        const inputX = widget.querySelector("input");
        const inputY = form && form.elements.namedItem(widget.dataset.verticalName);
        const photo = widget.querySelector("[data-focal-point-photo]");
        if (!inputX || !inputY || !photo) {
            return;
        }
        const width = Number(photo.dataset.width);
        const height = Number(photo.dataset.height);
        const image = photo.querySelector("[data-focal-point-image]");
        const ring = photo.querySelector("[data-focal-point-ring]");
        const vertical = photo.querySelector("[data-focal-point-vertical]");
        const horizontal = photo.querySelector("[data-focal-point-horizontal]");
        const crops = widget.querySelectorAll("[data-focal-point-crop]");
        photo.classList.add("focal-point__photo--active");

        function draw(x, y, cropsToo) {
            const px = x * width;
            const py = y * height;
            ring.setAttribute("cx", px);
            ring.setAttribute("cy", py);
            vertical.setAttribute("x1", px);
            vertical.setAttribute("x2", px);
            horizontal.setAttribute("y1", py);
            horizontal.setAttribute("y2", py);
            photo.setAttribute("aria-valuenow", Math.round(x * 100));
            photo.setAttribute("aria-valuetext", "vodoravno " + percent(x) + ", uspravno " + percent(y));
            if (!cropsToo) {
                return;
            }
            crops.forEach(function (crop) {
                const box = cropBox(width, height, Number(crop.dataset.ratioWidth), Number(crop.dataset.ratioHeight), x, y);
                const preview = crop.querySelector("img");
                if (preview.getAttribute("src") !== image.getAttribute("src")) {
                    preview.src = image.getAttribute("src");
                }
                crop.classList.add("focal-point__crop--live");
                preview.style.width = (width / box.width * 100) + "%";
                preview.style.height = (height / box.height * 100) + "%";
                preview.style.left = (-box.left / box.width * 100) + "%";
                preview.style.top = (-box.top / box.height * 100) + "%";
            });
        }

        function set(x, y) {
            x = Math.round(clamp(x) * PRECISION) / PRECISION;
            y = Math.round(clamp(y) * PRECISION) / PRECISION;
            inputX.value = String(x);
            inputY.value = String(y);
            [inputX, inputY].forEach(function (input) {
                input.dispatchEvent(new Event("input", {bubbles: true}));
                input.dispatchEvent(new Event("change", {bubbles: true}));
            });
            draw(x, y, true);
        }

        photo.addEventListener("click", function (event) {
            const rect = image.getBoundingClientRect();
            if (!rect.width || !rect.height) {
                return;
            }
            set((event.clientX - rect.left) / rect.width, (event.clientY - rect.top) / rect.height);
            photo.focus();
        });

        const MOVES = {ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1]};
        photo.addEventListener("keydown", function (event) {
            const move = MOVES[event.key];
            if (!move || event.altKey || event.ctrlKey || event.metaKey) {
                return;
            }
            event.preventDefault();
            const step = event.shiftKey ? 0.1 : 0.01;
            set(read(inputX) + move[0] * step, read(inputY) + move[1] * step);
        });

        [inputX, inputY].forEach(function (input) {
            input.addEventListener("input", function () {
                draw(read(inputX), read(inputY), true);
            });
        });
        draw(read(inputX), read(inputY), false);
    }

    function setUpAll() {
        document.querySelectorAll("[data-focal-point]").forEach(setUp);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", setUpAll);
    } else {
        setUpAll();
    }
})();
