// The mapping editor's draft: the definition being edited, read and changed at JSON pointers,
// the same pointers the hub's validation problems carry, so each input finds its problems by
// the pointer it edits.
import { createContext } from 'preact'
import { useContext } from 'preact/hooks'

/** @typedef {import('../api.js').Schemas['MappingDefinition']} MappingDefinition */

/** @param {string} pointer */
function segmentsOf(pointer) {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
}

/**
 * The value at `pointer` in `document`, undefined when there is none.
 * @param {unknown} document
 * @param {string} pointer
 * @returns {unknown}
 */
export function valueAt(document, pointer) {
  /** @type {unknown} */
  let value = document
  for (const segment of segmentsOf(pointer)) {
    if (typeof value !== 'object' || value === null) return undefined
    value = /** @type {Record<string, unknown>} */ (value)[segment]
  }
  return value
}

/**
 * A copy of `document` with `value` at `pointer` (objects on the way made as needed); an
 * undefined value removes the member, or the item from an array.
 * @template T
 * @param {T} document
 * @param {string} pointer
 * @param {unknown} value
 * @returns {T}
 */
export function withValueAt(document, pointer, value) {
  const [head, ...rest] = segmentsOf(pointer)
  if (head === undefined) return /** @type {T} */ (value)
  const inner = rest.length === 0 ? value : withValueAt(valueAt(document, `/${head}`) ?? {}, toPointer(rest), value)
  if (Array.isArray(document)) {
    const copy = [...document]
    if (inner === undefined) copy.splice(Number(head), 1)
    else copy[Number(head)] = inner
    return /** @type {T} */ (copy)
  }
  const copy = { .../** @type {Record<string, unknown>} */ (document ?? {}) }
  if (inner === undefined) delete copy[head]
  else copy[head] = inner
  return /** @type {T} */ (copy)
}

/** @param {string[]} segments */
function toPointer(segments) {
  return segments.map((s) => `/${s.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('')
}

/** An input's id, from the pointer it edits (unique in the editor, valid in a selector). */
export function inputId(/** @type {string} */ pointer) {
  return `mapping${pointer.replace(/[^A-Za-z0-9]/g, '-')}`
}

/**
 * What an input of the editor works with: the draft, a change at a pointer, and the problems
 * the hub found at a pointer on the last save.
 * @typedef {object} Editor
 * @property {MappingDefinition} draft
 * @property {(pointer: string, value: unknown) => void} set
 * @property {(pointer: string) => string[]} problemsAt
 */

export const EditorContext = createContext(/** @type {Editor | undefined} */ (undefined))

export function useEditor() {
  const editor = useContext(EditorContext)
  if (!editor) throw new Error('useEditor outside the mapping editor')
  return editor
}
