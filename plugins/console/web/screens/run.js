// One run: its status, what started it, when, how long it took and its counts, then its
// per-record actions page by page (the API pages them by cursor), filterable by action, by
// outcome, by kind (record or relation) and by the record's name or id (the rows on screen at
// once, then the hub's search of the whole run once typing pauses).
import { useState } from 'preact/hooks'
import {
  html,
  whenLoaded,
  ErrorNotice,
  Pager,
  StatusBadge,
  formatDuration,
  formatTime,
  useLoad,
  useSettled,
} from '../ui.js'
import { DataTable } from '../table.js'
import { ok } from '../api.js'
import { useSession } from '../session.js'
import { ACTIONS, OUTCOMES, actionColumns } from '../run-actions.js'

/** @typedef {import('../run-actions.js').Action} Action */
/** @typedef {import('../run-actions.js').Outcome} Outcome */
/** @typedef {import('../run-actions.js').RunAction} RunAction */
/** @typedef {import('../api.js').Schemas['RunCounts']} RunCounts */

const PAGE = 50

/** @type {Array<[keyof RunCounts, string]>} */
const COUNTS = [
  ['read', 'Read'],
  ['created', 'Created'],
  ['updated', 'Updated'],
  ['deleted', 'Deleted'],
  ['linked', 'Linked'],
  ['unchanged', 'Unchanged'],
  ['skipped', 'Skipped'],
  ['conflicts', 'Conflicts'],
  ['failed', 'Failed'],
  ['relationsCreated', 'Relations created'],
  ['relationsDeleted', 'Relations deleted'],
]

/** @typedef {{ action: Action | '', status: Outcome | '', kind: 'record' | 'relation' | '' }} Filters */

/** the filters the hub applies to a run's actions: query member, label, values */
/** @type {Array<[keyof Filters, string, readonly string[]]>} */
const FILTERS = [
  ['action', 'Action', ACTIONS],
  ['status', 'Outcome', OUTCOMES],
  ['kind', 'Kind', ['record', 'relation']],
]

const COLUMNS = actionColumns({ withOutcome: true })

/** @param {{ runId: string }} props */
export function RunDetail({ runId }) {
  const { api } = useSession()
  const [filters, setFilters] = useState(/** @type {Filters} */ ({ action: '', status: '', kind: '' }))
  // the cursors of the pages seen so far: the last one is the page shown ('' the first page)
  const [cursors, setCursors] = useState(/** @type {string[]} */ ([]))
  const after = cursors.at(-1)
  const pageIndex = cursors.length
  const [search, setSearch] = useState('')
  const searched = useSettled(search.trim(), 300)
  // a new search starts from the first page
  const [searchedFor, setSearchedFor] = useState(searched)
  if (searchedFor !== searched) {
    setSearchedFor(searched)
    setCursors([])
  }

  const loaded = useLoad(async () => {
    const run = await ok(api.GET('/api/v1/runs/{id}', { params: { path: { id: runId } } }))
    const mapping = await ok(api.GET('/api/v1/mappings/{id}', { params: { path: { id: run.mappingId } } })).catch(
      () => undefined,
    )
    return { run, mappingName: mapping?.name ?? run.mappingId }
  }, [api, runId])

  const actions = useLoad(async () => {
    const query = {
      limit: PAGE,
      ...(after ? { after } : {}),
      ...(filters.action ? { action: filters.action } : {}),
      ...(filters.status ? { status: filters.status } : {}),
      ...(filters.kind ? { kind: filters.kind } : {}),
      ...(searched ? { search: searched } : {}),
    }
    const answer = await ok(api.GET('/api/v1/runs/{id}/actions', { params: { path: { id: runId }, query } }))
    // which page this is travels with it: the pager shows the page on screen, not the one asked for
    return { ...answer, pageIndex }
  }, [api, runId, after, pageIndex, filters, searched])

  /** @param {Partial<Record<keyof Filters, string>>} change */
  function filter(change) {
    setCursors([])
    setFilters(/** @type {Filters} */ ({ ...filters, ...change }))
  }

  const page = actions.data
  return html`<section aria-labelledby="run-title">
    <h1 id="run-title">Run${loaded.data ? `: ${loaded.data.mappingName}` : ''}</h1>
    <p><a href="#/runs">All runs</a></p>
    <${ErrorNotice} error=${loaded.error ?? actions.error} />
    ${whenLoaded(
      loaded,
      ({ run }) =>
        html`<dl class="run-summary" data-testid="run-summary">
            <div>
              <dt>Status</dt>
              <dd><${StatusBadge} status=${run.status} /></dd>
            </div>
            <div>
              <dt>Trigger</dt>
              <dd>${run.trigger} <span class="muted">${run.kind}${run.dryRun ? ', plan' : ''}</span></dd>
            </div>
            <div>
              <dt>Queued</dt>
              <dd>${formatTime(run.queuedAt)}</dd>
            </div>
            <div>
              <dt>Duration</dt>
              <dd>${formatDuration(run.startedAt, run.finishedAt) || html`<span class="muted">not finished</span>`}</dd>
            </div>
            ${COUNTS.map(
              ([name, label]) =>
                html`<div key=${name} data-count=${name}>
                  <dt>${label}</dt>
                  <dd>${run.counts[name]}</dd>
                </div>`,
            )}
          </dl>
          ${run.message ? html`<p class="message">${run.message}</p>` : null}`,
    )}
    <h2>Records</h2>
    <${DataTable}
      caption="Records of this run, in the order they were handled"
      columns=${COLUMNS}
      rows=${page?.items}
      loading=${actions.loading}
      rowKey=${(/** @type {RunAction} */ a) => a.id}
      rowProps=${(/** @type {RunAction} */ a) => ({ 'data-action': a.action, 'data-outcome': a.status })}
      empty="No record with these filters."
      search=${search}
      filters=${[
        ...FILTERS.map(([name, label, options]) => ({
          id: `run-${name}`,
          label,
          value: filters[name],
          options,
          onChange: (/** @type {string} */ value) => filter({ [name]: value }),
        })),
        { id: 'run-search', label: 'Record', type: 'search', value: search, onInput: setSearch },
      ]}
      pager=${
        page &&
        (page.items.length > 0 || page.pageIndex > 0) &&
        html`<${Pager}
          label="Pages of records"
          position=${`Records ${page.pageIndex * PAGE + 1} to ${page.pageIndex * PAGE + page.items.length}`}
          onPrevious=${page.pageIndex > 0 ? () => setCursors(cursors.slice(0, page.pageIndex - 1)) : undefined}
          onNext=${
            page.next
              ? () => setCursors([...cursors.slice(0, page.pageIndex), /** @type {string} */ (page.next)])
              : undefined
          }
        />`
      }
    />
  </section>`
}
