// A list of the mapping editor (field mappings, value table rows, graph rules, relation
// mappings): each item a labelled group with its remove button, and an add button. Focus
// follows the change, so the keyboard never loses its place: into the added item, or onto the
// add button after a removal.
import { useLayoutEffect, useRef } from 'preact/hooks'
import { html } from '../ui.js'
import { inputId, useEditor, valueAt } from './mapping-draft.js'
import { GroupProblems } from './mapping-inputs.js'

/**
 * @param {{ at: string, itemLabel: (index: number) => string, addLabel: string, blank: () => unknown, item: (pointer: string, index: number) => unknown, compact?: boolean }} props
 */
export function ListEditor({ at, itemLabel, addLabel, blank, item, compact }) {
  const { draft, set } = useEditor()
  const value = valueAt(draft, at)
  const items = Array.isArray(value) ? value : []
  const list = useRef(/** @type {HTMLDivElement | null} */ (null))
  // what to focus once the change is drawn: an item's first control, or the add button (-1)
  const focus = useRef(/** @type {number | undefined} */ (undefined))
  useLayoutEffect(() => {
    const index = focus.current
    if (index === undefined || !list.current) return
    focus.current = undefined
    const target =
      index < 0
        ? list.current.querySelector(':scope > .list-add')
        : list.current.querySelector(`:scope > fieldset:nth-of-type(${index + 1}) :is(input, select, textarea)`)
    if (target instanceof HTMLElement) target.focus()
  })

  return html`<div class="list" ref=${list}>
    <${GroupProblems} at=${at} />
    ${items.map((_, index) => {
      const pointer = `${at}/${index}`
      const label = itemLabel(index)
      return html`<fieldset
        class=${compact ? 'list-item compact' : 'list-item'}
        key=${index}
        aria-describedby=${`${inputId(pointer)}-problem`}
      >
        <legend>${label}</legend>
        <${GroupProblems} at=${pointer} />
        ${item(pointer, index)}
        <button
          type="button"
          class="list-remove"
          onClick=${() => {
            focus.current = -1
            set(pointer, undefined)
          }}
        >
          Remove<span class="visually-hidden"> ${label}</span>
        </button>
      </fieldset>`
    })}
    <button
      type="button"
      class="list-add"
      onClick=${() => {
        focus.current = items.length
        set(at, [...items, blank()])
      }}
    >
      ${addLabel}
    </button>
  </div>`
}
