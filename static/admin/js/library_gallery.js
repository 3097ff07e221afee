// Galleries between paragraphs. The body keeps only <figure data-gallery-id="N"></figure>; the article page
// puts the gallery there. The editor shows it as a block, "Galerija: <title> (12 fotografija)", from the
// gallery admin's chooser endpoint, and the toolbar's "Galerija" button chooses one in a searchable dialog.
// Loaded by django-prose-editor's configurable preset, beside library_photo.js.
import { Node, mergeAttributes } from "django-prose-editor/editor"

const known = new Map() // id -> Promise of the gallery, null (no such gallery) or undefined (not loaded)

function endpoint(params) {
  const source = document.querySelector("[data-gallery-picker-url]")
  return `${source.dataset.galleryPickerUrl}?${new URLSearchParams(params)}`
}

function getJSON(params) {
  return fetch(endpoint(params), { credentials: "same-origin", headers: { Accept: "application/json" } }).then(
    (response) => {
      if (!response.ok) {
        throw new Error(`gallery picker: ${response.status}`)
      }
      return response.json()
    },
  )
}

function gallery(id) {
  id = String(id || "").trim()
  if (!/^[0-9]{1,10}$/.test(id)) {
    return Promise.resolve(null)
  }
  if (!known.has(id)) {
    known.set(
      id,
      getJSON({ ids: id })
        .then((data) => data.results.find((found) => String(found.id) === id) || null)
        .catch(() => {
          known.delete(id)
          return undefined
        }),
    )
  }
  return known.get(id)
}

function element(tag, className, text) {
  const node = document.createElement(tag)
  if (className) {
    node.className = className
  }
  if (text) {
    node.textContent = text
  }
  return node
}

function showGallery(figure, galleryId) {
  figure.replaceChildren(element("p", "library-photo__note", `Galerija #${galleryId} se učitava…`))
  gallery(galleryId).then((found) => {
    if (figure.dataset.galleryId !== String(galleryId)) {
      return
    }
    if (!found) {
      const note =
        found === null
          ? `Galerija #${galleryId} ne postoji`
          : `Galerija #${galleryId} se nije učitala; osvežite stranicu.`
      figure.replaceChildren(element("p", "library-photo__note library-photo__note--missing", note))
      return
    }
    const parts = []
    if (found.thumb) {
      const thumb = element("img", "library-photo__thumb library-gallery__thumb")
      thumb.src = found.thumb
      thumb.alt = ""
      thumb.width = 120
      thumb.draggable = false
      parts.push(thumb)
    }
    parts.push(element("p", "library-gallery__label", found.label))
    figure.replaceChildren(...parts)
  })
}

// A searchable dialog of galleries; resolves with the chosen one, or null when closed without one.
function choose() {
  return new Promise((resolve) => {
    const dialog = element("dialog", "library-photo-picker")
    const heading = element("h2", "library-photo-picker__title", "Galerija")
    heading.id = "library-gallery-picker-title"
    dialog.setAttribute("aria-labelledby", heading.id)
    const form = element("form")
    form.method = "dialog"
    const label = element("label", "library-photo-picker__search", "Traži galeriju po naslovu")
    const input = element("input")
    input.type = "search"
    input.name = "q"
    input.autocomplete = "off"
    label.append(input)
    const status = element("p", "library-photo-picker__status")
    status.setAttribute("role", "status")
    const results = element("ul", "library-photo-picker__results")
    results.setAttribute("aria-label", "Galerije")
    const cancel = element("button", "button", "Odustani")
    cancel.type = "submit"
    cancel.value = ""
    form.append(label, status, results, cancel)
    dialog.append(heading, form)
    document.body.append(dialog)
    let chosen = null
    let asked = 0
    let timer = null

    function resultButton(found) {
      known.set(String(found.id), Promise.resolve(found))
      const button = element("button", "library-photo-picker__result")
      button.type = "button"
      const thumb = element("img", "library-photo-picker__thumb")
      if (found.thumb) {
        thumb.src = found.thumb
      }
      thumb.alt = ""
      thumb.width = 96
      button.append(thumb, element("span", "library-photo-picker__text", found.label))
      button.addEventListener("click", () => {
        chosen = found
        dialog.close()
      })
      const item = element("li")
      item.append(button)
      return item
    }

    function search() {
      const words = input.value.trim()
      const ticket = ++asked
      getJSON({ q: words })
        .then((data) => {
          if (ticket !== asked) {
            return
          }
          results.replaceChildren(...data.results.map(resultButton))
          status.textContent = data.results.length
            ? `Nađeno galerija: ${data.results.length}.`
            : words
              ? `Nema galerija za „${words}“.`
              : "Još nema galerija; dodajte ih u delu „Galerije“."
        })
        .catch(() => {
          if (ticket === asked) {
            status.textContent = "Pretraga nije uspela; pokušajte ponovo."
          }
        })
    }

    const buttons = () => Array.from(results.querySelectorAll("button"))
    input.addEventListener("input", () => {
      clearTimeout(timer)
      timer = setTimeout(search, 200)
    })
    input.addEventListener("keydown", (event) => {
      const first = buttons()[0]
      if ((event.key === "Enter" || event.key === "ArrowDown") && first) {
        event.preventDefault()
        first.focus()
      } else if (event.key === "Enter") {
        event.preventDefault()
      }
    })
    results.addEventListener("keydown", (event) => {
      const all = buttons()
      const index = all.indexOf(document.activeElement)
      if (event.key === "ArrowDown" && index < all.length - 1) {
        event.preventDefault()
        all[index + 1].focus()
      } else if (event.key === "ArrowUp") {
        event.preventDefault()
        ;(index > 0 ? all[index - 1] : input).focus()
      }
    })
    dialog.addEventListener("close", () => {
      clearTimeout(timer)
      dialog.remove()
      resolve(chosen)
    })
    dialog.showModal()
    input.focus()
    search()
  })
}

export const LibraryGallery = Node.create({
  name: "libraryGallery",
  group: "block",
  atom: true,
  selectable: true,
  draggable: true,

  addAttributes() {
    return {
      galleryId: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-gallery-id"),
        renderHTML: (attributes) => ({ "data-gallery-id": attributes.galleryId }),
      },
    }
  },

  parseHTML() {
    return [{ tag: "figure[data-gallery-id]" }]
  },

  renderHTML({ HTMLAttributes }) {
    return ["figure", mergeAttributes(HTMLAttributes)]
  },

  addNodeView() {
    return ({ node }) => {
      let shown = node
      const figure = document.createElement("figure")
      figure.className = "library-photo library-gallery"
      figure.dataset.galleryId = node.attrs.galleryId
      showGallery(figure, node.attrs.galleryId)
      return {
        dom: figure,
        update(updated) {
          if (updated.type !== shown.type) {
            return false
          }
          if (updated.attrs.galleryId !== shown.attrs.galleryId) {
            figure.dataset.galleryId = updated.attrs.galleryId
            showGallery(figure, updated.attrs.galleryId)
          }
          shown = updated
          return true
        },
        ignoreMutation: () => true,
      }
    }
  },

  addCommands() {
    return {
      // As a photo: the gallery where the cursor is, and the cursor in the text after it.
      insertLibraryGallery:
        (galleryId) =>
        ({ chain }) =>
          chain()
            .insertContent({ type: this.name, attrs: { galleryId: String(galleryId) } })
            .command(({ tr }) => {
              const end = tr.selection.to
              if (!tr.doc.resolve(end).nodeAfter?.isTextblock) {
                tr.insert(end, tr.doc.type.schema.nodes.paragraph.create())
              }
              return true
            })
            .command(({ tr, commands }) => commands.setTextSelection(tr.selection.to + 1))
            .run(),
    }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "libraryGallery",
      groups: "nodes",
      command: (editor) => {
        choose().then((found) => {
          if (found) {
            editor.chain().focus().insertLibraryGallery(found.id).run()
            if (window.PhotoLibrary) {
              window.PhotoLibrary.refreshWarnings()
            }
          }
        })
      },
      button: buttons.material("photo_library", "Galerija"),
    })
  },
})
