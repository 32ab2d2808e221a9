// IdentityNow SIM: the service desk integrations (what each tickets, where), then the
// provisioning records page by page, newest first, each with its ServiceNow ticket and state,
// filterable by state and integration; an operator closes an open one by hand (Committed or
// Failed) after a confirmation, when ServiceNow will not say it is done.
import { useState } from 'preact/hooks'
import { html, ConfirmDialog, ErrorNotice, OffsetPager, StatusBadge, formatTime, useLoad } from '../ui.js'
import { DataTable, timeColumn, valueColumn } from '../table.js'
import { ok } from '../api.js'
import { useSession } from '../session.js'

/** @typedef {import('../api.js').Operations['listProvisioningRecords']['responses'][200]['content']['application/json']['items'][number]} ProvisioningRecord */
/** @typedef {ProvisioningRecord['state']} RecordState */
/** @typedef {import('../api.js').Operations['listServiceDeskIntegrations']['responses'][200]['content']['application/json']['items'][number]} Integration */

const STATES = /** @type {const} */ (['creating', 'queued', 'committed', 'failed', 'expired'])
const PAGE = 25

/** @type {import('../table.js').Column<Integration>[]} */
const INTEGRATION_COLUMNS = [
  {
    id: 'name',
    header: 'Name',
    rowHeader: true,
    sort: (i) => i.name,
    cell: (i) => html`${i.name} <span class="muted">${i.description}</span>`,
  },
  valueColumn('type', 'Type', (i) => i.type),
  valueColumn('tickets', 'Tickets', (i) => i.ticketType),
  valueColumn('instance', 'Instance', (i) => i.instance),
  {
    id: 'sources',
    header: 'Managed sources',
    sort: (i) => i.managedSources.length,
    cell: (i) => i.managedSources.length,
  },
]

/** @param {ProvisioningRecord} record */
const open = (record) => record.state === 'creating' || record.state === 'queued'

/**
 * The question before a manual close: which result, and why (kept on the record).
 * @param {{ record: ProvisioningRecord, onClose: (result: 'Committed' | 'Failed', message: string) => void, onCancel: () => void }} props
 */
function CloseDialog({ record, onClose, onCancel }) {
  const [result, setResult] = useState(/** @type {'Committed' | 'Failed'} */ ('Committed'))
  const [message, setMessage] = useState('')
  return html`<${ConfirmDialog}
    title=${`Close ${record.ticketNumber ?? record.correlationId} by hand?`}
    confirmLabel="Close ticket"
    onCancel=${onCancel}
    onConfirm=${() => onClose(result, message)}
  >
    <p>IdentityNow is told the provisioning ended with this result; the ticket is no longer followed.</p>
    <fieldset>
      <legend>Result</legend>
      ${['Committed', 'Failed'].map(
        (value) =>
          html`<label key=${value}
            ><input
              type="radio"
              name="close-result"
              value=${value}
              checked=${result === value}
              onChange=${() => setResult(/** @type {'Committed' | 'Failed'} */ (value))}
            />
            ${value}</label
          >`,
      )}
    </fieldset>
    <div class="field">
      <label for="close-message">Why (kept with the record)</label>
      <input
        id="close-message"
        value=${message}
        maxlength="1000"
        onInput=${(/** @type {Event} */ e) => setMessage(/** @type {HTMLInputElement} */ (e.currentTarget).value)}
      />
    </div>
  <//>`
}

export function IdentityNow() {
  const { api, may } = useSession()
  const [state, setState] = useState(/** @type {RecordState | ''} */ (''))
  const [integrationId, setIntegrationId] = useState('')
  const [offset, setOffset] = useState(0)
  const [closing, setClosing] = useState(/** @type {ProvisioningRecord | undefined} */ (undefined))
  const [error, setError] = useState(/** @type {unknown} */ (undefined))

  const integrations = useLoad(async () => (await ok(api.GET('/api/v1/identitynow/integrations'))).items, [api])
  const records = useLoad(async () => {
    const query = { limit: PAGE, offset, ...(state ? { state } : {}), ...(integrationId ? { integrationId } : {}) }
    return ok(api.GET('/api/v1/identitynow/provisioning-records', { params: { query } }))
  }, [api, state, integrationId, offset])

  /**
   * @param {ProvisioningRecord} record
   * @param {'Committed' | 'Failed'} result
   * @param {string} message
   */
  async function close(record, result, message) {
    setClosing(undefined)
    setError(undefined)
    try {
      await ok(
        api.POST('/api/v1/identitynow/provisioning/{id}/close', {
          params: { path: { id: record.correlationId } },
          body: { result, ...(message.trim() ? { message: message.trim() } : {}) },
        }),
      )
      await records.reload()
    } catch (refused) {
      setError(refused)
    }
  }

  /** @param {string} id */
  const integrationName = (id) => integrations.data?.find((i) => i.id === id)?.name ?? id
  /** @type {import('../table.js').Column<ProvisioningRecord>[]} */
  const columns = [
    {
      id: 'ticket',
      header: 'Ticket',
      rowHeader: true,
      sort: (r) => r.ticketNumber,
      cell: (r) =>
        html`${r.ticketNumber ?? html`<span class="muted">none yet</span>`}
        ${r.externalState ? html` <span class="muted">${r.externalState}</span>` : null}`,
    },
    { id: 'state', header: 'State', sort: (r) => r.state, cell: (r) => html`<${StatusBadge} status=${r.state} />` },
    valueColumn('identity', 'Identity', (r) => r.plan.identity.name),
    valueColumn('source', 'Source', (r) => r.sourceName),
    {
      id: 'integration',
      header: 'Integration',
      sort: (r) => integrationName(r.integrationId),
      cell: (r) => integrationName(r.integrationId),
    },
    timeColumn('created', 'Created', (r) => r.createdAt),
    {
      id: 'closed',
      header: 'Closed',
      sort: (r) => r.closedAt,
      cell: (r) =>
        html`${formatTime(r.closedAt)}${r.closedBy ? html` <span class="muted">${r.closedBy}</span>` : null}`,
    },
    { id: 'message', header: 'Message', className: 'message', cell: (r) => r.message },
    {
      id: 'actions',
      header: '',
      className: 'row-actions',
      cell: (r) =>
        may('operator') && open(r)
          ? html`<button type="button" class="danger" onClick=${() => setClosing(r)}>
              Close<span class="visually-hidden"> ${r.ticketNumber ?? r.correlationId}</span>
            </button>`
          : null,
    },
  ]
  const page = records.data

  return html`<section aria-labelledby="idn-title">
    <h1 id="idn-title">IdentityNow SIM</h1>
    <${ErrorNotice} error=${integrations.error ?? records.error ?? error} />
    <h2>Service desk integrations</h2>
    <${DataTable}
      caption="Service desk integrations"
      columns=${INTEGRATION_COLUMNS}
      rows=${integrations.data}
      loading=${integrations.loading}
      rowKey=${(/** @type {Integration} */ i) => i.id}
      rowProps=${(/** @type {Integration} */ i) => ({ 'data-integration': i.name })}
      empty="No service desk integration."
    />
    <h2>Provisioning records</h2>
    <${DataTable}
      caption="Provisioning records, newest first"
      columns=${columns}
      rows=${page?.items}
      loading=${records.loading}
      rowKey=${(/** @type {ProvisioningRecord} */ r) => r.correlationId}
      rowProps=${(/** @type {ProvisioningRecord} */ r) => ({ 'data-ticket': r.ticketNumber, 'data-state': r.state })}
      empty=${`No provisioning record${state || integrationId ? ' with these filters' : ''}.`}
      filters=${[
        {
          id: 'idn-state',
          label: 'State',
          value: state,
          options: STATES,
          onChange: (/** @type {string} */ value) => {
            setOffset(0)
            setState(/** @type {RecordState | ''} */ (value))
          },
        },
        {
          id: 'idn-integration',
          label: 'Integration',
          value: integrationId,
          options: (integrations.data ?? []).map((i) => ({ value: i.id, label: i.name })),
          onChange: (/** @type {string} */ value) => {
            setOffset(0)
            setIntegrationId(value)
          },
        },
      ]}
      pager=${
        page &&
        html`<${OffsetPager}
          label="Pages of provisioning records"
          noun="Records"
          offset=${offset}
          page=${page}
          size=${PAGE}
          onOffset=${setOffset}
        />`
      }
    />
    ${
      closing
        ? html`<${CloseDialog}
            record=${closing}
            onCancel=${() => setClosing(undefined)}
            onClose=${(/** @type {'Committed' | 'Failed'} */ result, /** @type {string} */ message) =>
              close(closing, result, message)}
          />`
        : null
    }
  </section>`
}
