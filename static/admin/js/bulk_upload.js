// The photo library's bulk upload and its details screen.
// Upload page: each chosen or dropped file goes in its own request to the upload endpoint, with a progress bar
// and the server's verdict (stored, or refused with the reason); then a link to describe the stored ones.
// Details screen: the batch's credit and restriction are copied into every row as they are chosen (the server
// applies them on saving in any case).
"use strict";
{
    const MAX_BATCH = 100; // photos on one details screen (articles/photo_library.py)

    function csrfToken(form) {
        return form.querySelector("input[name=csrfmiddlewaretoken]").value;
    }

    function verdict(xhr) {
        let answer = null;
        try {
            answer = JSON.parse(xhr.responseText);
        } catch (error) {
            answer = null;
        }
        if (xhr.status === 201 && answer) {
            return {id: answer.id, text: `Sačuvana (${answer.width} × ${answer.height} px)`};
        }
        if (answer && answer.error) {
            return {text: `Odbijena: ${answer.error}`};
        }
        if (xhr.status === 413 || xhr.status === 400) {
            return {text: "Odbijena: zahtev je prevelik ili neispravan."};
        }
        if (xhr.status === 403) {
            return {text: "Odbijena: sesija je istekla ili nemate dozvolu; osvežite stranicu i prijavite se ponovo."};
        }
        return {text: `Otpremanje nije uspelo (greška ${xhr.status || "veze"}); pokušajte ponovo.`};
    }

    function sendOne(form, file, row) {
        return new Promise((resolve) => {
            const xhr = new XMLHttpRequest();
            const data = new FormData();
            data.append("file", file, file.name);
            xhr.open("POST", form.dataset.uploadUrl);
            xhr.setRequestHeader("X-CSRFToken", csrfToken(form));
            xhr.setRequestHeader("Accept", "application/json");
            xhr.upload.addEventListener("progress", (event) => {
                if (event.lengthComputable) {
                    row.progress.value = Math.round((event.loaded / event.total) * 100);
                }
            });
            xhr.addEventListener("loadend", () => {
                const result = xhr.readyState === 4 ? verdict(xhr) : verdict({status: 0, responseText: ""});
                row.progress.value = 100;
                row.progress.setAttribute("aria-valuetext", result.id ? "sačuvana" : "odbijena");
                row.result.textContent = result.text;
                row.item.classList.add(result.id ? "bulk-upload__item--stored" : "bulk-upload__item--refused");
                resolve(result);
            });
            xhr.send(data);
        });
    }

    function listRow(list, file) {
        const item = document.createElement("li");
        item.className = "bulk-upload__item";
        const name = document.createElement("span");
        name.className = "bulk-upload__name";
        name.textContent = file.name;
        const progress = document.createElement("progress");
        progress.className = "bulk-upload__progress";
        progress.max = 100;
        progress.value = 0;
        progress.setAttribute("aria-label", `Otpremanje: ${file.name}`);
        const result = document.createElement("span");
        result.className = "bulk-upload__result";
        result.textContent = "Čeka…";
        item.append(name, progress, result);
        list.append(item);
        return {item, progress, result};
    }

    function detailsLinks(page, form, ids) {
        const row = page.querySelector("[data-details-link-row]");
        row.replaceChildren();
        for (let start = 0; start < ids.length; start += MAX_BATCH) {
            const chunk = ids.slice(start, start + MAX_BATCH);
            const link = document.createElement("a");
            link.className = "button default bulk-upload__details";
            link.href = `${form.dataset.detailsUrl}?ids=${chunk.join(",")}`;
            link.textContent = ids.length > MAX_BATCH
                ? `Dalje: opis fotografija ${start + 1}–${start + chunk.length}`
                : "Dalje: opis fotografija";
            row.append(link);
        }
        row.hidden = ids.length === 0;
    }

    async function uploadAll(page, form, files, state) {
        const list = page.querySelector("[data-upload-list]");
        const summary = page.querySelector("[data-upload-summary]");
        const rows = Array.from(files, (file) => [file, listRow(list, file)]);
        state.pending += rows.length;
        summary.textContent = `Otpremanje u toku: ${state.pending}…`;
        for (const [file, row] of rows) {
            row.result.textContent = "Otpremanje…";
            const result = await sendOne(form, file, row);
            state.pending -= 1;
            if (result.id) {
                state.ids.push(result.id);
            } else {
                state.refused += 1;
            }
        }
        if (state.pending === 0) {
            summary.textContent = `Gotovo. Sačuvano: ${state.ids.length}, odbijeno: ${state.refused}.`;
            detailsLinks(page, form, state.ids);
        }
    }

    function initUpload(form) {
        const page = form.closest(".bulk-upload");
        const input = form.querySelector("input[type=file]");
        const zone = form.querySelector("[data-drop-zone]");
        const state = {ids: [], refused: 0, pending: 0};
        form.querySelector("[data-no-script]").hidden = true;
        form.querySelector("[data-drop-hint]").hidden = false;
        page.querySelector("[data-upload-list]").replaceChildren();
        input.addEventListener("change", () => {
            const files = Array.from(input.files);
            input.value = "";
            if (files.length) {
                uploadAll(page, form, files, state);
            }
        });
        form.addEventListener("submit", (event) => event.preventDefault());
        zone.addEventListener("dragover", (event) => {
            event.preventDefault();
            zone.classList.add("bulk-upload__drop--over");
        });
        zone.addEventListener("dragleave", () => zone.classList.remove("bulk-upload__drop--over"));
        zone.addEventListener("drop", (event) => {
            event.preventDefault();
            zone.classList.remove("bulk-upload__drop--over");
            if (event.dataTransfer.files.length) {
                uploadAll(page, form, event.dataTransfer.files, state);
            }
        });
    }

    function initDetails(form) {
        const credit = form.querySelector("#id_sve-credit");
        const restriction = form.querySelector("#id_sve-restriction");
        credit.addEventListener("input", () => {
            if (!credit.value.trim()) {
                return;
            }
            form.querySelectorAll("[data-batch-row] input[name$='-credit']").forEach((box) => {
                box.value = credit.value.trim();
            });
        });
        restriction.addEventListener("change", () => {
            if (!restriction.value) {
                return;
            }
            const value = restriction.value === "bez" ? "" : restriction.value;
            form.querySelectorAll("[data-batch-row] select[name$='-restriction']").forEach((select) => {
                select.value = value;
            });
        });
    }

    document.addEventListener("DOMContentLoaded", () => {
        document.querySelectorAll("form[data-upload-url]").forEach(initUpload);
        document.querySelectorAll("form[data-batch-details]").forEach(initDetails);
    });
}
