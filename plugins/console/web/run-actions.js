// How one per-record action of a run (or of a plan) is shown: its action badge and its field
// changes, each with the value before and after. Shared by the Plan screen and a run's detail.
import { html } from './ui.js'

/** @typedef {import('./api.js').Schemas['RunAction']} RunAction */
/** @typedef {RunAction['action']} Action */
/** @typedef {RunAction['status']} Outcome */

export const ACTIONS = /** @type {const} */ (['CREATE', 'UPDATE', 'DELETE', 'LINK', 'NONE'])
export const OUTCOMES = /** @type {const} */ (['PLANNED', 'OK', 'WARNING', 'ERROR', 'SKIPPED'])

/** @param {string | string[] | null} value */
function shownValue(value) {
  if (value === null) return html`<span class="muted">empty</span>`
  return Array.isArray(value) ? value.join(', ') : value
}

/** @param {{ action: RunAction }} props */
export function ActionBadge({ action }) {
  return html`<span class=${`badge action-${action.action.toLowerCase()}`}>${action.action}</span
    >${action.kind === 'relation' ? html` <span class="muted">relation</span>` : null}`
}

/** @param {{ action: RunAction }} props */
export function Changes({ action }) {
  if (!action.changes || action.changes.length === 0) return html`<span class="muted">no field changes</span>`
  return html`<dl class="changes">
    ${action.changes.map(
      (change) =>
        html`<div key=${change.key}>
          <dt>${change.field}${change.side === 'source' ? html` <span class="muted">(source)</span>` : null}</dt>
          <dd>
            <span class="before">${shownValue(change.before)}</span>
            <span aria-label="becomes"> → </span>
            <span class="after">${shownValue(change.after)}</span>
          </dd>
        </div>`,
    )}
  </dl>`
}
