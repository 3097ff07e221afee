// Videos and social posts in the article body. The editor pastes the address and types the title; the body
// sends <figure data-embed-url="…" data-title="…"></figure>, which the server checks against its list of
// providers (articles/embeds.py: an unknown address is refused in the form) and stores as provider and id,
// <figure data-embed="youtube" data-embed-id="…" data-title="…"></figure>. Loaded by django-prose-editor's
// configurable preset, like the library photos. Nothing here contacts a provider.
import { Node, Plugin, mergeAttributes } from "django-prose-editor/editor"

// Only for what the editor shows; which addresses are accepted is decided on the server.
const NAMES = {
  youtube: "YouTube", vimeo: "Vimeo", x: "X", instagram: "Instagram", facebook: "Facebook", tiktok: "TikTok",
}
const HOSTS = [
  [/(^|\.)(youtube\.com|youtu\.be|youtube-nocookie\.com)$/, "youtube"],
  [/(^|\.)vimeo\.com$/, "vimeo"],
  [/(^|\.)(x\.com|twitter\.com)$/, "x"],
  [/(^|\.)instagram\.com$/, "instagram"],
  [/(^|\.)facebook\.com$/, "facebook"],
  [/(^|\.)tiktok\.com$/, "tiktok"],
]

function providerOf(attrs) {
  if (attrs.provider) {
    return NAMES[attrs.provider] || attrs.provider
  }
  try {
    const host = new URL(attrs.url).hostname
    const found = HOSTS.find(([pattern]) => pattern.test(host))
    return found ? NAMES[found[1]] : "Nepoznat servis"
  } catch {
    return "Neispravna adresa"
  }
}

function show(figure, attrs) {
  figure.replaceChildren()
  const label = document.createElement("p")
  label.className = "embed-block__label"
  const name = document.createElement("strong")
  name.lang = "en"
  name.textContent = providerOf(attrs)
  label.append(name, `: ${attrs.title || "(bez naslova)"}`)
  figure.append(label)
  if (attrs.url) {
    const address = document.createElement("p")
    address.className = "embed-block__address"
    address.textContent = attrs.url
    figure.append(address)
  }
}

export const EmbedBlock = Node.create({
  name: "embedBlock",
  group: "block",
  atom: true,
  selectable: true,
  draggable: true,

  addAttributes() {
    return {
      provider: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-embed"),
        renderHTML: (attributes) => (attributes.provider ? { "data-embed": attributes.provider } : {}),
      },
      embedId: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-embed-id"),
        renderHTML: (attributes) => (attributes.embedId ? { "data-embed-id": attributes.embedId } : {}),
      },
      url: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-embed-url"),
        renderHTML: (attributes) => (attributes.url ? { "data-embed-url": attributes.url } : {}),
      },
      title: {
        default: "",
        parseHTML: (element) => element.getAttribute("data-title") || "",
        renderHTML: (attributes) => ({ "data-title": attributes.title || "" }),
      },
    }
  },

  parseHTML() {
    return [{ tag: "figure[data-embed]" }, { tag: "figure[data-embed-url]" }]
  },

  renderHTML({ HTMLAttributes }) {
    return ["figure", mergeAttributes(HTMLAttributes)]
  },

  addNodeView() {
    return ({ node }) => {
      const figure = document.createElement("figure")
      figure.className = "embed-block"
      show(figure, node.attrs)
      return {
        dom: figure,
        update(updated) {
          if (updated.type !== node.type) {
            return false
          }
          show(figure, updated.attrs)
          return true
        },
        ignoreMutation: () => true,
      }
    }
  },

  addCommands() {
    return {
      insertEmbed:
        (url, title) =>
        ({ chain }) =>
          chain()
            .insertContent({ type: this.name, attrs: { url, title } })
            .command(({ tr }) => {
              const end = tr.selection.to
              if (!tr.doc.resolve(end).nodeAfter?.isTextblock) {
                tr.insert(end, tr.doc.type.schema.nodes.paragraph.create())
              }
              return true
            })
            .run(),
    }
  },

  // An address of a known provider pasted alone into an empty paragraph may become an embed: the editor is
  // asked for the title, and "Otkaži" keeps the paste as ordinary text.
  addProseMirrorPlugins() {
    const type = this.type
    return [
      new Plugin({
        props: {
          handlePaste(view, event) {
            const text = (event.clipboardData?.getData("text/plain") || "").trim()
            if (!/^https:\/\/\S+$/.test(text)) {
              return false
            }
            let host
            try {
              host = new URL(text).hostname
            } catch {
              return false
            }
            const { $from, empty } = view.state.selection
            const lone = empty && $from.parent.type.name === "paragraph" && $from.parent.content.size === 0
            if (!lone || !HOSTS.some(([pattern]) => pattern.test(host))) {
              return false
            }
            const title = window.prompt("Ugraditi kao video ili objavu? Naslov koji čitaoci vide:", "")
            if (title === null) {
              return false
            }
            view.dispatch(view.state.tr.replaceSelectionWith(type.create({ url: text, title: title.trim() })))
            return true
          },
        },
      }),
    ]
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "embedBlock",
      groups: "nodes",
      command: (editor) => {
        const url = (
          window.prompt("Adresa videa ili objave (YouTube, Vimeo, X, Instagram, Facebook, TikTok):", "") || ""
        ).trim()
        if (!url) {
          return
        }
        const title = (window.prompt("Naslov koji čitaoci vide pre učitavanja:", "") || "").trim()
        editor.chain().focus().insertEmbed(url, title).run()
      },
      button: buttons.material("smart_display", "Ugradi video ili objavu"),
    })
  },
})
