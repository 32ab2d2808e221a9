// Connections: each with its health (the last check, by hand or periodic, from GET
// /api/v1/status), a check button (operator) whose result shows in the row, and, for an admin,
// create, edit (the connector's schema as a form) and delete after a confirmation.
import { useState } from 'preact/hooks'
import { html, ErrorNotice, ConfirmDialog, formatTime, useLoad } from '../ui.js'
import { DataTable } from '../table.js'
import { ok } from '../api.js'
import { useSession } from '../session.js'
import { ConnectionForm } from './connection-form.js'

/** @typedef {import('../api.js').Schemas['Connection']} Connection */
/** @typedef {{ ok: boolean, message: string | null, code?: string | null, at: string | null }} Health */

export function Connections() {
  const { api, may } = useSession()
  const loaded = useLoad(async () => {
    const [connections, connectors, status] = await Promise.all([
      ok(api.GET('/api/v1/connections', { params: { query: { limit: 500, offset: 0 } } })),
      ok(api.GET('/api/v1/connectors')),
      ok(api.GET('/api/v1/status')),
    ])
    /** @type {Record<string, Health>} */
    const health = {}
    for (const entry of status.connections) {
      if (entry.health) {
        health[entry.id] = {
          ok: entry.health.ok,
          message: entry.health.message,
          code: entry.health.code,
          at: entry.health.checkedAt,
        }
      }
    }
    return { connections: connections.items, connectors: connectors.items, health }
  }, [api])
  const [checked, setChecked] = useState(/** @type {Record<string, Health>} */ ({}))
  const [checking, setChecking] = useState(/** @type {string | undefined} */ (undefined))
  const [editing, setEditing] = useState(/** @type {Connection | 'new' | undefined} */ (undefined))
  const [deleting, setDeleting] = useState(/** @type {Connection | undefined} */ (undefined))
  const [error, setError] = useState(/** @type {unknown} */ (undefined))

  /** @param {Connection} connection */
  async function check(connection) {
    setChecking(connection.id)
    setError(undefined)
    try {
      const result = await ok(api.POST('/api/v1/connections/{id}/check', { params: { path: { id: connection.id } } }))
      setChecked({
        ...checked,
        [connection.id]: { ok: result.ok, message: result.message, code: result.code, at: new Date().toISOString() },
      })
    } catch (refused) {
      setError(refused)
    } finally {
      setChecking(undefined)
    }
  }

  /** @param {Connection} connection */
  async function remove(connection) {
    setDeleting(undefined)
    setError(undefined)
    try {
      await ok(api.DELETE('/api/v1/connections/{id}', { params: { path: { id: connection.id } } }))
      await loaded.reload()
    } catch (refused) {
      setError(refused)
    }
  }

  const data = loaded.data
  /** @param {Connection} connection */
  const connectorTitle = (connection) =>
    data?.connectors.find((c) => c.name === connection.connector)?.title ?? connection.connector
  /** @param {Connection} connection */
  const healthOf = (connection) => checked[connection.id] ?? data?.health[connection.id]
  /** @type {import('../table.js').Column<Connection>[]} */
  const columns = [
    { id: 'name', header: 'Name', rowHeader: true, sort: (c) => c.name, cell: (c) => c.name },
    { id: 'connector', header: 'Connector', sort: connectorTitle, cell: connectorTitle },
    {
      id: 'health',
      header: 'Health',
      className: 'health',
      // failing first when sorted ascending: they are what an operator looks for
      sort: (c) => {
        const health = healthOf(c)
        return health ? (health.ok ? 1 : 0) : undefined
      },
      cell: (connection) => {
        const health = healthOf(connection)
        return html`<div aria-live="polite">
          ${
            health
              ? html`<span class=${`badge ${health.ok ? 'status-ok' : 'status-error'}`}>
                    ${health.ok ? 'OK' : 'failing'}
                  </span>
                  <span class="muted"> ${formatTime(health.at)}</span>
                  ${health.ok ? null : html`<div class="health-message">${health.code ? html`<code>${health.code}</code> ` : null}${health.message}</div>`}`
              : html`<span class="muted">not checked yet</span>`
          }
        </div>`
      },
    },
    { id: 'secrets', header: 'Secrets set', cell: (c) => c.secretsSet.join(', ') },
    {
      id: 'actions',
      header: '',
      className: 'row-actions',
      cell: (connection) =>
        html`${
          may('operator')
            ? html`<button type="button" disabled=${checking === connection.id} onClick=${() => check(connection)}>
                ${checking === connection.id ? 'Checking...' : 'Check'}<span class="visually-hidden">
                  ${connection.name}</span
                >
              </button>`
            : null
        }
        ${
          may('admin')
            ? html`<button type="button" onClick=${() => setEditing(connection)}>
                  Edit<span class="visually-hidden"> ${connection.name}</span>
                </button>
                <button type="button" class="danger" onClick=${() => setDeleting(connection)}>
                  Delete<span class="visually-hidden"> ${connection.name}</span>
                </button>`
            : null
        }`,
    },
  ]
  return html`<section aria-labelledby="connections-title">
    <div class="title-row">
      <h1 id="connections-title">Connections</h1>
      ${
        may('admin') && editing === undefined
          ? html`<button type="button" class="primary" onClick=${() => setEditing('new')}>New connection</button>`
          : null
      }
    </div>
    <${ErrorNotice} error=${loaded.error ?? error} />
    ${
      editing !== undefined && data
        ? html`<${ConnectionForm}
            key=${editing === 'new' ? 'new' : editing.id}
            connectors=${data.connectors}
            connection=${editing === 'new' ? undefined : editing}
            onCancel=${() => setEditing(undefined)}
            onSaved=${async () => {
              setEditing(undefined)
              await loaded.reload()
            }}
          />`
        : null
    }
    <${DataTable}
      caption="Connections and their health"
      columns=${columns}
      rows=${data?.connections}
      loading=${loaded.loading}
      rowKey=${(/** @type {Connection} */ connection) => connection.id}
      rowProps=${(/** @type {Connection} */ connection) => ({ 'data-connection': connection.name })}
      empty="No connection yet."
    />
    ${
      deleting
        ? html`<${ConfirmDialog}
            title=${`Delete ${deleting.name}?`}
            confirmLabel="Delete"
            onCancel=${() => setDeleting(undefined)}
            onConfirm=${() => remove(deleting)}
          >
            <p>The connection and its stored secrets are removed. Mappings that use it must be removed first.</p>
          <//>`
        : null
    }
  </section>`
}
