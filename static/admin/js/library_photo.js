// Photos from the library between paragraphs. The body keeps only <figure data-image-id="N"></figure>; the
// article page puts the photo, its caption and credit there, and so does the editor (a node view), from the
// photo library's picker endpoint (photo_picker.js). Loaded by django-prose-editor's configurable preset.
import { Node, mergeAttributes } from "django-prose-editor/editor"

const library = () => window.PhotoLibrary

// What the editor shows for photo `imageId`: the photo, or why it cannot.
function showPhoto(figure, imageId) {
  const { element } = library()
  figure.replaceChildren(element("p", "library-photo__note", `Fotografija #${imageId} se učitava…`))
  library()
    .photo(imageId)
    .then((photo) => {
      if (figure.dataset.imageId !== String(imageId)) {
        return // the node shows another photo by now
      }
      if (!photo) {
        const note =
          photo === null
            ? `Fotografija #${imageId} ne postoji u biblioteci`
            : `Fotografija #${imageId} se nije učitala; osvežite stranicu.`
        figure.replaceChildren(element("p", "library-photo__note library-photo__note--missing", note))
        return
      }
      const thumb = element("img", "library-photo__thumb")
      thumb.src = photo.thumb
      thumb.alt = photo.alt
      thumb.width = 240
      thumb.draggable = false // the figure is dragged, not the picture inside it
      const caption = element("figcaption", "library-photo__caption")
      caption.append(element("span", "library-photo__text", photo.text))
      if (photo.credit) {
        caption.append(element("span", "library-photo__credit", `Foto: ${photo.credit}`))
      }
      if (photo.restriction.text) {
        caption.append(element("span", "photo-restriction", photo.restriction.text))
      }
      figure.replaceChildren(thumb, caption)
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

  // Only what the editor shows; what is saved is renderHTML's empty figure.
  addNodeView() {
    return ({ node }) => {
      let shown = node
      const figure = document.createElement("figure")
      figure.className = "library-photo"
      figure.dataset.imageId = node.attrs.imageId
      showPhoto(figure, node.attrs.imageId)
      return {
        dom: figure,
        update(updated) {
          if (updated.type !== shown.type) {
            return false
          }
          if (updated.attrs.imageId !== shown.attrs.imageId) {
            figure.dataset.imageId = updated.attrs.imageId
            showPhoto(figure, updated.attrs.imageId)
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
      // The photo where the cursor is, and the cursor in the text after it (a new paragraph if there is
      // none), so that writing, or the next photo, follows the photo rather than replacing it.
      insertLibraryPhoto:
        (imageId) =>
        ({ chain }) =>
          chain()
            .insertContent({ type: this.name, attrs: { imageId: String(imageId) } })
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
      name: "libraryPhoto",
      groups: "nodes",
      command: (editor) => {
        library()
          .choose("Fotografija iz biblioteke")
          .then((photo) => {
            if (photo) {
              editor.chain().focus().insertLibraryPhoto(photo.id).run()
              library().refreshWarnings()
            }
          })
      },
      button: buttons.material("add_photo_alternate", "Fotografija iz biblioteke"),
    })
  },
})
