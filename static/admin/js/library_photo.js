// Photos from the library between paragraphs. The body keeps only <figure data-image-id="N"></figure>; the
// article page puts the photo, its caption and credit there. Loaded by django-prose-editor's configurable preset.
import { Node, mergeAttributes } from "django-prose-editor/editor"

// The admin's address is configurable: the change form names the picker's (data-photo-picker-url).
const picker = () => document.querySelector("[data-photo-picker-url]").dataset.photoPickerUrl + "?q="

function choosePhoto() {
  return new Promise((resolve) => {
    const dialog = document.createElement("dialog")
    dialog.className = "library-photo-picker"
    dialog.innerHTML = `
      <form method="dialog">
        <label>Fotografija iz biblioteke <input type="search" name="q" placeholder="potpis, autor ili opis"></label>
        <ul class="library-photo-picker__results" role="listbox" aria-label="Fotografije"></ul>
        <button type="submit" value="">Odustani</button>
      </form>`
    document.body.append(dialog)
    const input = dialog.querySelector("input")
    const results = dialog.querySelector("ul")
    let chosen = null

    function search() {
      fetch(picker() + encodeURIComponent(input.value), { credentials: "same-origin" })
        .then((response) => response.json())
        .then((data) => {
          results.replaceChildren(
            ...data.results.map((photo) => {
              const item = document.createElement("li")
              const button = document.createElement("button")
              button.type = "button"
              const thumb = document.createElement("img")
              thumb.src = photo.thumb
              thumb.alt = ""
              thumb.width = 80
              const label = document.createElement("span")
              label.textContent = `${photo.text}${photo.credit ? " · Foto: " + photo.credit : ""}`
              button.append(thumb, label)
              button.addEventListener("click", () => {
                chosen = photo.id
                dialog.close()
              })
              item.append(button)
              return item
            }),
          )
        })
    }
    input.addEventListener("input", search)
    dialog.addEventListener("close", () => {
      dialog.remove()
      resolve(chosen)
    })
    dialog.showModal()
    search()
  })
}

export const LibraryPhoto = Node.create({
  name: "libraryPhoto",
  group: "block",
  atom: true,
  selectable: true,
  draggable: true,

  addAttributes() {
    return {
      imageId: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-image-id"),
        renderHTML: (attributes) => ({ "data-image-id": attributes.imageId }),
      },
    }
  },

  parseHTML() {
    return [{ tag: "figure[data-image-id]" }]
  },

  renderHTML({ HTMLAttributes }) {
    return ["figure", mergeAttributes(HTMLAttributes)]
  },

  addCommands() {
    return {
      insertLibraryPhoto:
        (imageId) =>
        ({ commands }) =>
          commands.insertContent({ type: this.name, attrs: { imageId: String(imageId) } }),
    }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "libraryPhoto",
      groups: "nodes",
      command: (editor) => {
        choosePhoto().then((imageId) => {
          if (imageId) {
            editor.chain().focus().insertLibraryPhoto(imageId).run()
          }
        })
      },
      button: buttons.material("add_photo_alternate", "Fotografija iz biblioteke"),
    })
  },
})
