// Mappings: each with its direction and its last finished run; an operator starts a run (and
// follows it on the Runs screen); an admin creates the CSDM default mappings between a LeanIX and
// a ServiceNow connection; an admin opens the mapping editor to create or edit one.
import { useState } from 'preact/hooks'
import { html, ErrorNotice, StatusBadge, formatTime, useLoad } from '../ui.js'
import { DataTable, valueColumn } from '../table.js'
import { ok } from '../api.js'
import { useSession } from '../session.js'

/** @typedef {import('../api.js').Schemas['Connection']} Connection */
/** @typedef {import('../api.js').Schemas['Mapping']} Mapping */

/**
 * @param {{ connections: Connection[], onCreated: () => void, onCancel: () => void }} props
 */
function DefaultsForm({ connections, onCreated, onCancel }) {
  const { api } = useSession()
  const leanix = connections.filter((c) => c.connector === 'leanix')
  const servicenow = connections.filter((c) => c.connector === 'servicenow')
  const [leanixConnectionId, setLeanix] = useState(leanix[0]?.id ?? '')
  const [servicenowConnectionId, setServicenow] = useState(servicenow[0]?.id ?? '')
  const [error, setError] = useState(/** @type {unknown} */ (undefined))
  const [busy, setBusy] = useState(false)

  /** @param {SubmitEvent} event */
  async function submit(event) {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      await ok(api.POST('/api/v1/mappings/defaults', { body: { leanixConnectionId, servicenowConnectionId } }))
      onCreated()
    } catch (refused) {
      setError(refused)
      setBusy(false)
    }
  }

  /** @param {Event} event */
  const value = (event) => /** @type {HTMLSelectElement} */ (event.currentTarget).value
  return html`<form class="inline-form" onSubmit=${submit} aria-label="Create CSDM defaults">
    <h2>Create CSDM defaults</h2>
    <div class="field">
      <label for="defaults-leanix">LeanIX connection</label>
      <select
        id="defaults-leanix"
        required
        value=${leanixConnectionId}
        onChange=${(/** @type {Event} */ e) => setLeanix(value(e))}
      >
        ${leanix.map((c) => html`<option value=${c.id}>${c.name}</option>`)}
      </select>
    </div>
    <div class="field">
      <label for="defaults-servicenow">ServiceNow connection</label>
      <select
        id="defaults-servicenow"
        required
        value=${servicenowConnectionId}
        onChange=${(/** @type {Event} */ e) => setServicenow(value(e))}
      >
        ${servicenow.map((c) => html`<option value=${c.id}>${c.name}</option>`)}
      </select>
    </div>
    <${ErrorNotice} error=${error} />
    <div class="actions">
      <button type="button" onClick=${onCancel}>Cancel</button>
      <button type="submit" class="primary" disabled=${busy || !leanixConnectionId || !servicenowConnectionId}>
        Create
      </button>
    </div>
  </form>`
}

export function Mappings() {
  const { api, may } = useSession()
  const loaded = useLoad(async () => {
    const [mappings, connections, status] = await Promise.all([
      ok(api.GET('/api/v1/mappings', { params: { query: { limit: 500 } } })),
      ok(api.GET('/api/v1/connections', { params: { query: { limit: 500, offset: 0 } } })),
      ok(api.GET('/api/v1/status')),
    ])
    const lastRuns = Object.fromEntries(status.mappings.map((m) => [m.id, m.lastRun]))
    return { mappings: mappings.items, connections: connections.items, lastRuns }
  }, [api])
  const [defaults, setDefaults] = useState(false)
  const [error, setError] = useState(/** @type {unknown} */ (undefined))

  /** @param {string} id */
  async function run(id) {
    setError(undefined)
    try {
      await ok(api.POST('/api/v1/mappings/{id}/runs', { params: { path: { id } }, body: {} }))
      location.hash = '#/runs'
    } catch (refused) {
      setError(refused)
    }
  }

  const data = loaded.data
  /** @param {string} id */
  const connectionName = (id) => data?.connections.find((c) => c.id === id)?.name ?? id
  /** @param {Mapping} mapping */
  const lastRun = (mapping) => data?.lastRuns[mapping.id]
  /** @type {import('../table.js').Column<Mapping>[]} */
  const columns = [
    {
      id: 'name',
      header: 'Name',
      rowHeader: true,
      sort: (m) => m.name,
      cell: (m) => html`${m.name}${m.enabled ? null : html` <span class="muted">(disabled)</span>`}`,
    },
    {
      id: 'from',
      header: 'From',
      sort: (m) => `${connectionName(m.sourceConnectionId)}: ${m.sourceEntity}`,
      cell: (m) => html`${connectionName(m.sourceConnectionId)}: <code>${m.sourceEntity}</code>`,
    },
    {
      id: 'to',
      header: 'To',
      sort: (m) => `${connectionName(m.targetConnectionId)}: ${m.targetEntity}`,
      cell: (m) => html`${connectionName(m.targetConnectionId)}: <code>${m.targetEntity}</code>`,
    },
    valueColumn('mode', 'Mode', (m) => m.mode),
    {
      id: 'last',
      header: 'Last run',
      sort: (m) => lastRun(m)?.finishedAt,
      cell: (m) => {
        const last = lastRun(m)
        return last
          ? html`<${StatusBadge} status=${last.status} /> <span class="muted">${formatTime(last.finishedAt)}</span>`
          : html`<span class="muted">never</span>`
      },
    },
    {
      id: 'actions',
      header: '',
      className: 'row-actions',
      cell: (mapping) =>
        html`${
            may('admin')
              ? html`<a class="button" href=${`#/editor/${mapping.id}`}>
                  Edit<span class="visually-hidden"> ${mapping.name}</span>
                </a>`
              : null
          }
          <a class="button" href=${`#/versions/${mapping.id}`}>
            Versions<span class="visually-hidden"> ${mapping.name}</span>
          </a>
          ${
            may('operator')
              ? html`<a class="button" href=${`#/plan/${mapping.id}`}>
                    Plan<span class="visually-hidden"> ${mapping.name}</span>
                  </a>
                  <button type="button" onClick=${() => run(mapping.id)}>
                    Run now<span class="visually-hidden"> ${mapping.name}</span>
                  </button>`
              : null
          }`,
    },
  ]
  return html`<section aria-labelledby="mappings-title">
    <div class="title-row">
      <h1 id="mappings-title">Mappings</h1>
      ${
        may('admin') && !defaults
          ? html`<span>
              <a class="button" href="#/editor/">New mapping</a>
              <button type="button" onClick=${() => setDefaults(true)}>Create CSDM defaults</button>
            </span>`
          : null
      }
    </div>
    <${ErrorNotice} error=${loaded.error ?? error} />
    ${
      defaults && data
        ? html`<${DefaultsForm}
            connections=${data.connections}
            onCancel=${() => setDefaults(false)}
            onCreated=${async () => {
              setDefaults(false)
              await loaded.reload()
            }}
          />`
        : null
    }
    <${DataTable}
      caption="Mappings and their last run"
      columns=${columns}
      rows=${data?.mappings}
      loading=${loaded.loading}
      rowKey=${(/** @type {Mapping} */ mapping) => mapping.id}
      rowProps=${(/** @type {Mapping} */ mapping) => ({ 'data-mapping': mapping.name })}
      empty="No mapping yet."
    />
  </section>`
}
