// How one per-record action of a run (or of a plan) is shown: its action badge and its field
// changes, each with the value before and after, and the table columns they make. Shared by the
// Plan screen and a run's detail.
import { html, StatusBadge } from './ui.js'

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

/** the Record column: the record's name, or either side's id, which is also what its search matches */
const RECORD = /** @type {import('./table.js').Column<RunAction>} */ ({
  id: 'record',
  header: 'Record',
  rowHeader: true,
  sort: (a) => a.display ?? a.sourceId ?? a.targetId,
  search: (a) => [a.display, a.sourceId, a.targetId].filter(Boolean).join(' '),
  cell: (a) => a.display ?? a.sourceId ?? a.targetId,
})

/**
 * The columns of a list of actions: action, the outcome when `withOutcome` (a run's; a plan's
 * are all planned), record, changes, message.
 * @param {{ withOutcome: boolean }} options
 * @returns {import('./table.js').Column<RunAction>[]}
 */
export function actionColumns({ withOutcome }) {
  return [
    { id: 'action', header: 'Action', sort: (a) => a.action, cell: (a) => html`<${ActionBadge} action=${a} />` },
    ...(withOutcome
      ? [
          /** @type {import('./table.js').Column<RunAction>} */ ({
            id: 'outcome',
            header: 'Outcome',
            sort: (a) => a.status,
            cell: (a) => html`<${StatusBadge} status=${a.status} />`,
          }),
        ]
      : []),
    RECORD,
    { id: 'changes', header: 'Changes', cell: (a) => html`<${Changes} action=${a} />` },
    { id: 'message', header: 'Message', className: 'message', cell: (a) => a.message },
  ]
}
