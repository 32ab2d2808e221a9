// Create or edit a connection, the form drawn from its connector's JSON Schema (GET
// /api/v1/connectors): a field per setting, its description as the hint, enumerations as a choice,
// numbers within their bounds. Secrets are write-only: the form never holds a stored one, shows
// "set" when one is stored, and sends a secret only when a new value is typed. Problems the hub
// finds are shown at the field they point to.
import { useState } from 'preact/hooks'
import { html, ErrorNotice } from '../ui.js'
import { ApiError, ok } from '../api.js'
import { useSession } from '../session.js'

/** @typedef {import('../api.js').Schemas['ConnectorSummary']} Connector */
/** @typedef {import('../api.js').Schemas['Connection']} Connection */

/**
 * The part of a JSON Schema property the form reads.
 * @typedef {object} Property
 * @property {string} [type]
 * @property {string} [format]
 * @property {string} [description]
 * @property {unknown} [default]
 * @property {boolean} [secret]
 * @property {number} [minimum]
 * @property {number} [maximum]
 * @property {Array<{ const?: unknown }>} [anyOf]
 * @property {{ type?: string }} [items]
 */

/**
 * A setting as the form shows it.
 * @typedef {object} Field
 * @property {string} name
 * @property {'text' | 'url' | 'number' | 'boolean' | 'choice' | 'list' | 'secret'} kind
 * @property {Property} property
 * @property {boolean} required must be given (required, with no default)
 * @property {string[]} [choices]
 */

/**
 * The form's fields, in the schema's order.
 * @param {Connector} connector
 * @returns {Field[]}
 */
export function fieldsOf(connector) {
  const schema = /** @type {{ properties?: Record<string, Property>, required?: string[] }} */ (connector.configSchema)
  const required = new Set(schema.required ?? [])
  return Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const choices = property.anyOf?.map((option) => option.const).filter((value) => typeof value === 'string')
    /** @type {Field['kind']} */
    let kind = 'text'
    if (property.secret === true || connector.secretFields.includes(name)) kind = 'secret'
    else if (choices && choices.length > 0) kind = 'choice'
    else if (property.type === 'boolean') kind = 'boolean'
    else if (property.type === 'integer' || property.type === 'number') kind = 'number'
    else if (property.type === 'array') kind = 'list'
    else if (property.format === 'uri') kind = 'url'
    return {
      name,
      kind,
      property,
      required: required.has(name) && property.default === undefined,
      ...(kind === 'choice' ? { choices: /** @type {string[]} */ (choices) } : {}),
    }
  })
}

/**
 * What a field shows for a setting's value (secrets: nothing, ever).
 * @param {Field} field
 * @param {unknown} value
 * @returns {string}
 */
function shown(field, value) {
  if (field.kind === 'secret') return ''
  if (value === undefined || value === null) {
    return field.property.default === undefined ? '' : shown(field, field.property.default)
  }
  if (field.kind === 'list') return Array.isArray(value) ? value.join('\n') : ''
  return String(value)
}

/**
 * The setting a field's text stands for; undefined when empty.
 * @param {Field} field
 * @param {string} text
 */
function parsed(field, text) {
  if (field.kind === 'boolean') return text === 'true'
  if (text.trim() === '') return undefined
  if (field.kind === 'number') return Number(text)
  if (field.kind === 'list') {
    return text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
  }
  return field.kind === 'secret' ? text : text.trim()
}

/**
 * @param {{ connectors: Connector[], connection?: Connection, onSaved: (saved: Connection) => void, onCancel: () => void }} props
 */
export function ConnectionForm({ connectors, connection, onSaved, onCancel }) {
  const { api } = useSession()
  const [connectorName, setConnectorName] = useState(connection?.connector ?? connectors[0]?.name ?? '')
  const connector = connectors.find((c) => c.name === connectorName)
  const fields = connector ? fieldsOf(connector) : []
  const [name, setName] = useState(connection?.name ?? '')
  const [texts, setTexts] = useState(
    /** @type {Record<string, string>} */ (
      connector
        ? Object.fromEntries(fieldsOf(connector).map((f) => [f.name, shown(f, connection?.settings[f.name])]))
        : {}
    ),
  )
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState(/** @type {unknown} */ (undefined))
  const editing = connection !== undefined
  const idPrefix = editing ? `edit-${connection.id}` : 'new'

  /** @param {string} pointer */
  const problemAt = (pointer) =>
    error instanceof ApiError
      ? error.problems
          .filter((p) => p.pointer === pointer || p.pointer === `/settings${pointer}`)
          .map((p) => p.message)
          .join('; ')
      : ''

  /** @param {string} connectorChosen */
  function chooseConnector(connectorChosen) {
    setConnectorName(connectorChosen)
    const chosen = connectors.find((c) => c.name === connectorChosen)
    setTexts(chosen ? Object.fromEntries(fieldsOf(chosen).map((f) => [f.name, shown(f, undefined)])) : {})
  }

  /** The settings to send: all given ones on create; on edit, those changed and new secrets. */
  function settingsToSend() {
    /** @type {Record<string, unknown>} */
    const settings = {}
    for (const field of fields) {
      const text = texts[field.name] ?? ''
      if (editing && field.kind !== 'secret' && text === shown(field, connection.settings[field.name])) continue
      const value = parsed(field, text)
      if (value !== undefined) settings[field.name] = value
    }
    return settings
  }

  /** @param {SubmitEvent} event */
  async function submit(event) {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      const settings = settingsToSend()
      const saved = editing
        ? await ok(
            api.PATCH('/api/v1/connections/{id}', {
              params: { path: { id: connection.id } },
              body: { name, settings },
            }),
          )
        : await ok(api.POST('/api/v1/connections', { body: { name, connector: connectorName, settings } }))
      onSaved(saved)
    } catch (refused) {
      setError(refused)
      setBusy(false)
    }
  }

  /** @param {Field} field */
  function input(field) {
    const id = `${idPrefix}-${field.name}`
    const hint = field.property.description ? `${id}-hint` : undefined
    const problem = problemAt(`/${field.name}`)
    const value = texts[field.name] ?? ''
    /** @param {string} next */
    const set = (next) => setTexts({ ...texts, [field.name]: next })
    /** @param {Event} event */
    const typed = (event) => set(/** @type {HTMLInputElement} */ (event.currentTarget).value)
    const described = [hint, problem ? `${id}-problem` : undefined].filter(Boolean).join(' ') || undefined
    const isSet = field.kind === 'secret' && connection?.secretsSet.includes(field.name)
    let control
    if (field.kind === 'boolean') {
      control = html`<input
        id=${id}
        type="checkbox"
        checked=${value === 'true'}
        aria-describedby=${described}
        onChange=${(/** @type {Event} */ e) => set(String(/** @type {HTMLInputElement} */ (e.currentTarget).checked))}
      />`
    } else if (field.kind === 'choice') {
      control = html`<select id=${id} value=${value} aria-describedby=${described} onChange=${typed}>
        ${field.required ? null : html`<option value="">(not set)</option>`}
        ${field.choices?.map((choice) => html`<option value=${choice}>${choice}</option>`)}
      </select>`
    } else if (field.kind === 'list') {
      control = html`<textarea id=${id} rows="3" aria-describedby=${described} onInput=${typed} value=${value} />`
    } else {
      control = html`<input
        id=${id}
        type=${field.kind === 'secret' ? 'password' : field.kind === 'number' ? 'number' : field.kind === 'url' ? 'url' : 'text'}
        autocomplete=${field.kind === 'secret' ? 'new-password' : 'off'}
        required=${field.required && !(editing && field.kind === 'secret')}
        min=${field.property.minimum}
        max=${field.property.maximum}
        placeholder=${isSet ? 'set (type to replace)' : undefined}
        aria-describedby=${described}
        aria-invalid=${problem ? 'true' : undefined}
        value=${value}
        onInput=${typed}
      />`
    }
    return html`<div class=${`field field-${field.kind}`} key=${field.name}>
      <label for=${id} class=${field.required ? 'required' : undefined}>
        ${field.name} ${isSet ? html` <span class="badge secret-set">set</span>` : null}
      </label>
      ${control} ${hint ? html`<p class="hint" id=${hint}>${field.property.description}</p>` : null}
      ${problem ? html`<p class="field-problem" id=${`${id}-problem`}>${problem}</p>` : null}
    </div>`
  }

  const essential = fields.filter((f) => f.property.default === undefined)
  const tunable = fields.filter((f) => f.property.default !== undefined)
  return html`<form
    class="connection-form"
    onSubmit=${submit}
    aria-label=${editing ? `Edit ${connection.name}` : 'New connection'}
  >
    <h2>${editing ? `Edit ${connection.name}` : 'New connection'}</h2>
    <div class="field">
      <label for=${`${idPrefix}-connector`}>Connector</label>
      <select
        id=${`${idPrefix}-connector`}
        value=${connectorName}
        disabled=${editing}
        onChange=${(/** @type {Event} */ e) => chooseConnector(/** @type {HTMLSelectElement} */ (e.currentTarget).value)}
      >
        ${connectors.map((c) => html`<option value=${c.name}>${c.title}</option>`)}
      </select>
    </div>
    <div class="field">
      <label for=${`${idPrefix}-name`} class="required">Name</label>
      <input
        id=${`${idPrefix}-name`}
        required
        value=${name}
        onInput=${(/** @type {Event} */ e) => setName(/** @type {HTMLInputElement} */ (e.currentTarget).value)}
      />
    </div>
    <fieldset>
      <legend>Settings</legend>
      ${essential.map(input)}
    </fieldset>
    ${
      tunable.length > 0
        ? html`<details>
            <summary>Settings with defaults (${tunable.length})</summary>
            ${tunable.map(input)}
          </details>`
        : null
    }
    <${ErrorNotice} error=${error} />
    <div class="actions">
      <button type="button" onClick=${onCancel}>Cancel</button>
      <button type="submit" class="primary" disabled=${busy}>${editing ? 'Save' : 'Create'}</button>
    </div>
  </form>`
}
