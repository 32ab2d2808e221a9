// The hub's bearer tokens (admin only): each with its role, who made it, when it was last used;
// create one (its secret is shown once, in this answer only, never again) and revoke one after a
// confirmation. The token of this session is marked and not offered for revoking here (that
// would sign the console out mid-task; sign out instead).
import { useState } from 'preact/hooks'
import { html, ConfirmDialog, ErrorNotice, useLoad } from '../ui.js'
import { DataTable, timeColumn, valueColumn } from '../table.js'
import { ok } from '../api.js'
import { useSession } from '../session.js'

/** @typedef {import('../api.js').Schemas['Token']} Token */
/** @typedef {import('../api.js').Role} Role */

const ROLES = /** @type {const} */ (['viewer', 'operator', 'admin'])

/** @param {{ onCreated: (secret: string) => void }} props */
function CreateForm({ onCreated }) {
  const { api } = useSession()
  const [name, setName] = useState('')
  const [role, setRole] = useState(/** @type {Role} */ ('viewer'))
  const [error, setError] = useState(/** @type {unknown} */ (undefined))

  /** @param {SubmitEvent} event */
  async function submit(event) {
    event.preventDefault()
    setError(undefined)
    try {
      const created = await ok(api.POST('/api/v1/tokens', { body: { name: name.trim(), role } }))
      setName('')
      onCreated(created.token)
    } catch (refused) {
      setError(refused)
    }
  }

  return html`<form class="inline-form" aria-label="New token" onSubmit=${submit}>
    <h2>New token</h2>
    <div class="field">
      <label for="token-name">Name (what it is for)</label>
      <input
        id="token-name"
        required
        maxlength="200"
        value=${name}
        onInput=${(/** @type {Event} */ e) => setName(/** @type {HTMLInputElement} */ (e.currentTarget).value)}
      />
    </div>
    <div class="field">
      <label for="token-role">Role</label>
      <select
        id="token-role"
        value=${role}
        onChange=${(/** @type {Event} */ e) =>
          setRole(/** @type {Role} */ (/** @type {HTMLSelectElement} */ (e.currentTarget).value))}
      >
        ${ROLES.map((r) => html`<option value=${r}>${r}</option>`)}
      </select>
    </div>
    <${ErrorNotice} error=${error} />
    <div class="actions">
      <button type="submit" class="primary" disabled=${!name.trim()}>Create token</button>
    </div>
  </form>`
}

export function Tokens() {
  const { api, me } = useSession()
  const [includeRevoked, setIncludeRevoked] = useState(false)
  const loaded = useLoad(
    async () => (await ok(api.GET('/api/v1/tokens', { params: { query: { includeRevoked } } }))).items,
    [api, includeRevoked],
  )
  const [secret, setSecret] = useState(/** @type {string | undefined} */ (undefined))
  const [revoking, setRevoking] = useState(/** @type {Token | undefined} */ (undefined))
  const [error, setError] = useState(/** @type {unknown} */ (undefined))

  /** @param {Token} token */
  async function revoke(token) {
    setRevoking(undefined)
    setError(undefined)
    try {
      await ok(api.DELETE('/api/v1/tokens/{id}', { params: { path: { id: token.id } } }))
      await loaded.reload()
    } catch (refused) {
      setError(refused)
    }
  }

  /** @type {import('../table.js').Column<Token>[]} */
  const columns = [
    {
      id: 'name',
      header: 'Name',
      rowHeader: true,
      sort: (token) => token.name,
      cell: (token) =>
        html`${token.name}${token.id === me.tokenId ? html` <span class="muted">(this session)</span>` : null}`,
    },
    valueColumn('role', 'Role', (token) => token.role),
    {
      id: 'source',
      header: 'Source',
      cell: (token) => html`${token.source} <span class="muted">by ${token.createdBy}</span>`,
    },
    timeColumn('created', 'Created', (token) => token.createdAt),
    timeColumn('used', 'Last used', (token) => token.lastUsedAt, html`<span class="muted">never</span>`),
    timeColumn('revoked', 'Revoked', (token) => token.revokedAt),
    {
      id: 'actions',
      header: '',
      className: 'row-actions',
      cell: (token) =>
        token.revokedAt || token.id === me.tokenId
          ? null
          : html`<button type="button" class="danger" onClick=${() => setRevoking(token)}>
              Revoke<span class="visually-hidden"> ${token.name}</span>
            </button>`,
    },
  ]

  return html`<section aria-labelledby="tokens-title">
    <h1 id="tokens-title">Tokens</h1>
    <${CreateForm}
      onCreated=${async (/** @type {string} */ created) => {
        setSecret(created)
        await loaded.reload()
      }}
    />
    ${
      secret
        ? html`<div class="new-secret" role="status">
            <p><strong>Copy the new token now: it is not shown again.</strong></p>
            <code data-testid="new-token">${secret}</code>
            <div class="actions">
              <button type="button" onClick=${() => setSecret(undefined)}>Done</button>
            </div>
          </div>`
        : null
    }
    <${ErrorNotice} error=${loaded.error ?? error} />
    <${DataTable}
      caption="Bearer tokens"
      columns=${columns}
      rows=${loaded.data}
      loading=${loaded.loading}
      rowKey=${(/** @type {Token} */ token) => token.id}
      rowProps=${(/** @type {Token} */ token) => ({ 'data-token': token.name })}
      empty="No token."
      filters=${[
        {
          id: 'tokens-revoked',
          label: 'Show revoked tokens',
          type: 'checkbox',
          checked: includeRevoked,
          onChange: setIncludeRevoked,
        },
      ]}
    />
    ${
      revoking
        ? html`<${ConfirmDialog}
            title=${`Revoke ${revoking.name}?`}
            confirmLabel="Revoke"
            onCancel=${() => setRevoking(undefined)}
            onConfirm=${() => revoke(revoking)}
          >
            <p>Every request with this token is refused from now on; this cannot be undone.</p>
          <//>`
        : null
    }
  </section>`
}
