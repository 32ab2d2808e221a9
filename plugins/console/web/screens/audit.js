// The audit log (admin only): configuration changes newest first, page by page, each with who
// made it, what, on which target, whether it was applied, and its redacted request; filterable by
// action and by actor (the hub matches each exactly: "POST /api/v1/tokens", a token's name).
import { useState } from 'preact/hooks'
import { html, ErrorNotice, OffsetPager, StatusBadge, useLoad } from '../ui.js'
import { DataTable, timeColumn, valueColumn } from '../table.js'
import { ok } from '../api.js'
import { useSession } from '../session.js'

/** @typedef {import('../api.js').Operations['listAuditEntries']['responses'][200]['content']['application/json']['items'][number]} Entry */

const PAGE = 50

/** @type {import('../table.js').Column<Entry>[]} */
const COLUMNS = [
  timeColumn('at', 'When', (entry) => entry.at),
  {
    id: 'actor',
    header: 'Who',
    sort: (entry) => entry.actor.name,
    cell: (entry) => html`${entry.actor.name} <span class="muted">${entry.actor.kind}</span>`,
  },
  {
    id: 'action',
    header: 'Action',
    rowHeader: true,
    sort: (entry) => entry.action,
    cell: (entry) => html`<code>${entry.action}</code>`,
  },
  valueColumn('target', 'Target', (entry) => entry.target),
  {
    id: 'outcome',
    header: 'Outcome',
    sort: (entry) => entry.outcome,
    cell: (entry) =>
      html`<${StatusBadge}
          status=${entry.outcome}
        />${entry.errorCode ? html` <code>${entry.errorCode}</code>` : null}`,
  },
  {
    id: 'request',
    header: 'Request',
    cell: (entry) =>
      html`<details>
        <summary>Summary<span class="visually-hidden"> of entry ${entry.id}</span></summary>
        <pre>${JSON.stringify(entry.summary, null, 2)}</pre>
      </details>`,
  },
]

export function Audit() {
  const { api } = useSession()
  // the filters applied, and the ones typed (applied on submit)
  const [applied, setApplied] = useState({ action: '', actor: '' })
  const [typed, setTyped] = useState(applied)
  const [offset, setOffset] = useState(0)
  const loaded = useLoad(() => {
    const { action, actor } = applied
    const query = { limit: PAGE, offset, ...(action ? { action } : {}), ...(actor ? { actor } : {}) }
    return ok(api.GET('/api/v1/audit', { params: { query } }))
  }, [api, applied, offset])
  const page = loaded.data

  /**
   * @param {'action' | 'actor'} name
   * @param {string} label
   * @param {string} placeholder
   * @returns {import('../table.js').Filter}
   */
  const field = (name, label, placeholder) => ({
    id: `audit-${name}`,
    label,
    type: 'search',
    placeholder,
    value: typed[name],
    onInput: (value) => setTyped({ ...typed, [name]: value }),
  })

  return html`<section aria-labelledby="audit-title">
    <h1 id="audit-title">Audit log</h1>
    <${ErrorNotice} error=${loaded.error} />
    <${DataTable}
      caption="Audit entries, newest first"
      columns=${COLUMNS}
      rows=${page?.items}
      loading=${loaded.loading}
      rowKey=${(/** @type {Entry} */ entry) => entry.id}
      rowProps=${(/** @type {Entry} */ entry) => ({ 'data-action': entry.action, 'data-outcome': entry.outcome })}
      empty=${`No audit entry${applied.action || applied.actor ? ' with these filters' : ''}.`}
      filters=${[field('action', 'Action', 'POST /api/v1/tokens'), field('actor', 'Actor', 'a token name')]}
      filterForm=${{
        label: 'Filter the audit log',
        submit: 'Filter',
        onSubmit: () => {
          setOffset(0)
          setApplied({ action: typed.action.trim(), actor: typed.actor.trim() })
        },
      }}
      pager=${
        page &&
        html`<${OffsetPager}
          label="Pages of the audit log"
          noun="Entries"
          offset=${offset}
          page=${page}
          size=${PAGE}
          onOffset=${setOffset}
        />`
      }
    />
  </section>`
}
