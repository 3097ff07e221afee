// Marks a phrase as written in another language (<span lang="en">…</span>): screen readers pronounce it in
// that language and the Cyrillic pages leave it in Latin letters. Loaded by django-prose-editor's
// configurable preset, like the library photos.
import { Mark, mergeAttributes } from "django-prose-editor/editor"

const LANGUAGE_CODE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/

export const ForeignLanguage = Mark.create({
  name: "foreignLanguage",

  addAttributes() {
    return {
      lang: {
        default: "en",
        parseHTML: (element) => element.getAttribute("lang"),
        renderHTML: (attributes) => ({ lang: attributes.lang }),
      },
    }
  },

  parseHTML() {
    return [{ tag: "span[lang]" }]
  },

  renderHTML({ HTMLAttributes }) {
    return ["span", mergeAttributes(HTMLAttributes), 0]
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "foreignLanguage",
      groups: "marks",
      command: (editor) => {
        if (editor.isActive(this.name)) {
          editor.chain().focus().unsetMark(this.name).run()
          return
        }
        const lang = (window.prompt("Jezik označenog teksta (npr. en, de, fr):", "en") || "").trim()
        if (LANGUAGE_CODE.test(lang)) {
          editor.chain().focus().setMark(this.name, { lang }).run()
        }
      },
      active: (editor) => editor.isActive(this.name),
      button: buttons.material("translate", "Strani jezik"),
    })
  },
})
