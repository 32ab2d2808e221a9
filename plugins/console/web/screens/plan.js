// A plan (a dry run) of one mapping: what a run would create, update, delete, link or leave
// unchanged, record by record with each field's value before and after, filterable by action and
// by record (the rows on screen at once, then the hub's search of the whole plan once typing
// pauses); an operator runs it from here.
import { useState } from 'preact/hooks'
import { html, ErrorNotice, useLoad, useSettled } from '../ui.js'
import { DataTable } from '../table.js'
import { ok } from '../api.js'
import { useSession } from '../session.js'
import { ACTIONS, actionColumns } from '../run-actions.js'

/** @typedef {import('../run-actions.js').RunAction} RunAction */
/** @typedef {import('../run-actions.js').Action} Action */

const PAGE = 100

const COLUMNS = actionColumns({ withOutcome: false })

/** @param {{ mappingId: string }} props */
export function Plan({ mappingId }) {
  const { api, may } = useSession()
  const [action, setAction] = useState(/** @type {Action | ''} */ (''))
  const [search, setSearch] = useState('')
  const searched = useSettled(search.trim(), 300)
  const [more, setMore] = useState(/** @type {{ items: RunAction[], next: string | null } | undefined} */ (undefined))
  const [error, setError] = useState(/** @type {unknown} */ (undefined))

  const planned = useLoad(async () => {
    const [mapping, plan] = await Promise.all([
      ok(api.GET('/api/v1/mappings/{id}', { params: { path: { id: mappingId } } })),
      ok(api.POST('/api/v1/mappings/{id}/plan', { params: { path: { id: mappingId } }, body: { wait: 60 } })),
    ])
    return { mapping, run: plan.run }
  }, [api, mappingId])
  const run = planned.data?.run
  const finished = run !== undefined && run.status !== 'QUEUED' && run.status !== 'RUNNING'

  const actions = useLoad(async () => {
    setMore(undefined)
    if (!run || !finished) return { items: /** @type {RunAction[]} */ ([]), next: null }
    return ok(
      api.GET('/api/v1/runs/{id}/actions', {
        params: { path: { id: run.id }, query: { limit: PAGE, ...filters() } },
      }),
    )
  }, [api, run?.id, finished, action, searched])

  /** what the hub filters the plan's actions by */
  function filters() {
    return { ...(action ? { action } : {}), ...(searched ? { search: searched } : {}) }
  }

  async function loadMore() {
    const next = more?.next ?? actions.data?.next
    if (!run || !next) return
    try {
      const page = await ok(
        api.GET('/api/v1/runs/{id}/actions', {
          params: { path: { id: run.id }, query: { limit: PAGE, after: next, ...filters() } },
        }),
      )
      setMore({ items: [...(more?.items ?? []), ...page.items], next: page.next })
    } catch (refused) {
      setError(refused)
    }
  }

  async function runIt() {
    setError(undefined)
    try {
      await ok(api.POST('/api/v1/mappings/{id}/runs', { params: { path: { id: mappingId } }, body: {} }))
      location.hash = '#/runs'
    } catch (refused) {
      setError(refused)
    }
  }

  const loaded = actions.data ? [...actions.data.items, ...(more?.items ?? [])] : undefined
  const next = more ? more.next : actions.data?.next
  const counts = run?.counts
  return html`<section aria-labelledby="plan-title">
    <div class="title-row">
      <h1 id="plan-title">Plan${planned.data ? `: ${planned.data.mapping.name}` : ''}</h1>
      ${
        may('operator') && finished
          ? html`<button type="button" class="primary" onClick=${runIt}>Run this plan</button>`
          : null
      }
    </div>
    <${ErrorNotice} error=${planned.error ?? actions.error ?? error} />
    ${planned.loading && !run ? html`<p class="loading" role="status">Planning (nothing is written)...</p>` : null}
    ${
      run && !finished
        ? html`<p role="status">
            The plan takes longer than a minute; it goes on, and shows in <a href="#/runs">Runs</a>.
          </p>`
        : null
    }
    ${
      counts
        ? html`<p class="plan-counts" data-testid="plan-counts">
            ${ACTIONS.map((name) => {
              const count = {
                CREATE: counts.created,
                UPDATE: counts.updated,
                DELETE: counts.deleted,
                LINK: counts.linked,
                NONE: counts.unchanged,
              }[name]
              return html`<span key=${name}>${name.toLowerCase()} <strong>${count}</strong></span>`
            })}
            ${run?.message ? html`<span class="muted">${run.message}</span>` : null}
          </p>`
        : null
    }
    ${
      finished
        ? html`<${DataTable}
            caption="Planned actions, record by record"
            columns=${COLUMNS}
            rows=${loaded}
            loading=${actions.loading}
            rowKey=${(/** @type {RunAction} */ a) => a.id}
            rowProps=${(/** @type {RunAction} */ a) => ({ 'data-action': a.action })}
            empty=${actions.loading ? 'Loading...' : 'No record planned with these filters.'}
            search=${search}
            filters=${[
              {
                id: 'plan-action',
                label: 'Action',
                value: action,
                options: ACTIONS,
                onChange: (/** @type {string} */ value) => setAction(/** @type {Action | ''} */ (value)),
              },
              { id: 'plan-search', label: 'Record', type: 'search', value: search, onInput: setSearch },
            ]}
            pager=${next ? html`<button type="button" onClick=${loadMore}>Load more</button>` : null}
          />`
        : null
    }
  </section>`
}
