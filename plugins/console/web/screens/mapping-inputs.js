// The mapping editor's inputs, each bound to the JSON pointer it edits: a label, a hint, and the
// hub's problems at that pointer (aria-invalid, aria-describedby). Each carries data-pointer, by
// which the editor tells the problems shown at an input from those it has to show at the top.
import { useState } from 'preact/hooks'
import { html } from '../ui.js'
import { inputId, useEditor, valueAt } from './mapping-draft.js'

/** @param {Event} event */
const typed = (event) => /** @type {HTMLInputElement} */ (event.currentTarget).value

/**
 * A control drawn with the attributes every input has, the draft's value at its pointer, and
 * the change of that value.
 * @typedef {(attributes: Record<string, unknown>, value: unknown, change: (value: unknown) => void) => unknown} Control
 */

/**
 * What every input has: its label, its hint and its problems, around the control `control` draws.
 * The problems are those at `at` and at the `within` pointers (the items of a list it edits
 * whole); data-pointer names them all, space-separated.
 * @param {{ at: string, label: string, hint?: string, required?: boolean, kind?: string, within?: string[], control: Control }} props
 */
function Labelled({ at, label, hint, required, kind = 'text', within = [], control }) {
  const { draft, set, problemsAt } = useEditor()
  const id = inputId(at)
  const problems = [at, ...within].flatMap(problemsAt)
  const problemId = problems.length > 0 ? `${id}-problem` : undefined
  const described = [hint ? `${id}-hint` : undefined, problemId].filter(Boolean).join(' ') || undefined
  const attributes = {
    id,
    'data-pointer': [at, ...within].join(' '),
    required,
    'aria-describedby': described,
    'aria-invalid': problemId ? 'true' : undefined,
  }
  return html`<div class=${`field field-${kind}`}>
    <label for=${id} class=${required ? 'required' : undefined}>${label}</label>
    ${control(attributes, valueAt(draft, at), (/** @type {unknown} */ value) => set(at, value))}
    ${hint ? html`<p class="hint" id=${`${id}-hint`}>${hint}</p>` : null}
    ${problemId ? html`<p class="field-problem" id=${problemId}>${problems.join('; ')}</p>` : null}
  </div>`
}

/**
 * Text; an empty one is kept as "" when required, otherwise it is `empty` (the member left out,
 * or null where null means none). `list` names a datalist of suggestions.
 * @param {{ at: string, label: string, hint?: string, required?: boolean, multiline?: boolean, empty?: null, list?: string }} props
 */
export function TextInput({ at, label, hint, required, multiline, empty, list }) {
  /** @type {Control} */
  const control = (attributes, value, change) => {
    const shown = typeof value === 'string' ? value : ''
    /** @param {Event} event */
    const onInput = (event) => {
      const text = typed(event)
      change(text === '' && !required ? empty : text)
    }
    return multiline
      ? html`<textarea ...${attributes} rows="3" value=${shown} onInput=${onInput} />`
      : html`<input ...${attributes} autocomplete="off" list=${list} value=${shown} onInput=${onInput} />`
  }
  return html`<${Labelled} at=${at} label=${label} hint=${hint} required=${required} control=${control} />`
}

/**
 * A number (a whole one unless `fraction`); empty leaves the member out.
 * @param {{ at: string, label: string, min: number, max: number, fraction?: boolean }} props
 */
export function NumberInput({ at, label, min, max, fraction }) {
  /** @type {Control} */
  const control = (attributes, value, change) =>
    html`<input
      ...${attributes}
      type="number"
      min=${min}
      max=${max}
      step=${fraction ? 'any' : '1'}
      value=${typeof value === 'number' ? String(value) : ''}
      onInput=${(/** @type {Event} */ event) => {
        const text = typed(event)
        change(text === '' ? undefined : Number(text))
      }}
    />`
  return html`<${Labelled} at=${at} label=${label} hint=${`${min} to ${max}`} control=${control} />`
}

/** @param {string} text */
const namesIn = (text) =>
  text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)

/**
 * A list of names typed comma-separated. The text is kept as typed while it stands for the
 * draft's list (so a trailing comma survives the next draw); a list changed elsewhere (a save,
 * a removed row) is shown afresh.
 * @param {{ attributes: Record<string, unknown>, value: unknown, change: (value: unknown) => void }} props
 */
function NamesControl({ attributes, value, change }) {
  const names = Array.isArray(value) ? value.map(String) : []
  const [text, setText] = useState(names.join(', '))
  const shown = namesIn(text).join(',') === names.join(',') ? text : names.join(', ')
  return html`<input
    ...${attributes}
    autocomplete="off"
    value=${shown}
    onInput=${(/** @type {Event} */ event) => {
      const typedText = typed(event)
      setText(typedText)
      change(namesIn(typedText))
    }}
  />`
}

/** @param {{ at: string, label: string, hint?: string }} props */
export function NamesInput({ at, label, hint }) {
  const names = valueAt(useEditor().draft, at)
  const within = Array.isArray(names) ? names.map((_, index) => `${at}/${index}`) : []
  /** @type {Control} */
  const control = (attributes, value, change) =>
    html`<${NamesControl} attributes=${attributes} value=${value} change=${change} />`
  return html`<${Labelled} at=${at} label=${label} hint=${hint} within=${within} control=${control} />`
}

/**
 * One of `options` (each a value, or a [value, text] pair); `unset` names the choice that
 * leaves the member out, when it may be left out, or `fallback` is the choice shown while it is
 * left out (the hub's default). `onChoose`, when given, makes the change instead (a choice that changes more than
 * its member).
 * @param {{ at: string, label: string, hint?: string, options: Array<string | [string, string]>, unset?: string, fallback?: string, onChoose?: (value: string) => void }} props
 */
export function SelectInput({ at, label, hint, options, unset, fallback = '', onChoose }) {
  /** @type {Control} */
  const control = (attributes, value, change) =>
    html`<select
      ...${attributes}
      value=${typeof value === 'string' ? value : fallback}
      onChange=${(/** @type {Event} */ event) => {
        const chosen = typed(event)
        if (onChoose) onChoose(chosen)
        else change(chosen === '' ? undefined : chosen)
      }}
    >
      ${unset === undefined ? null : html`<option value="">${unset}</option>`}
      ${options.map((option) => {
        const [choice, text] = typeof option === 'string' ? [option, option] : option
        return html`<option value=${choice}>${text}</option>`
      })}
    </select>`
  return html`<${Labelled} at=${at} label=${label} hint=${hint} control=${control} />`
}

/** @param {{ at: string, label: string, hint?: string }} props */
export function CheckboxInput({ at, label, hint }) {
  /** @type {Control} */
  const control = (attributes, value, change) =>
    html`<input
      ...${attributes}
      type="checkbox"
      checked=${value === true}
      onChange=${(/** @type {Event} */ event) => change(/** @type {HTMLInputElement} */ (event.currentTarget).checked)}
    />`
  return html`<${Labelled} at=${at} label=${label} hint=${hint} kind="boolean" control=${control} />`
}

// a fixed value is a string, a number, true, false or null: text that reads as one of the others
// is that value, anything else is text
const NOT_TEXT = /^(true|false|null|-?\d+(\.\d+)?)$/

/** @param {{ at: string, label: string }} props */
export function ScalarInput({ at, label }) {
  /** @type {Control} */
  const control = (attributes, value, change) =>
    html`<input
      ...${attributes}
      autocomplete="off"
      value=${typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value)}
      onInput=${(/** @type {Event} */ event) => {
        const text = typed(event)
        change(NOT_TEXT.test(text) ? JSON.parse(text) : text)
      }}
    />`
  const hint = 'true, false, null and numbers are written as such, anything else as text'
  return html`<${Labelled} at=${at} label=${label} hint=${hint} control=${control} />`
}

/**
 * The problems the hub found at a group (a field mapping, a list) rather than at one of its
 * inputs, shown at the group's start; its data-pointer says they are shown.
 * @param {{ at: string }} props
 */
export function GroupProblems({ at }) {
  const problems = useEditor().problemsAt(at)
  return html`<p
    class="field-problem"
    id=${`${inputId(at)}-problem`}
    data-pointer=${at}
    hidden=${problems.length === 0}
  >
    ${problems.join('; ')}
  </p>`
}
