// Runs: the history (newest first, filterable by status) with counts and duration, kept live by
// the runProgress and runFinished subscriptions over WebSocket, and cancel (operator) for a run
// that is queued or running.
import { useEffect, useRef, useState } from 'preact/hooks'
import { html, ErrorNotice, Table, StatusBadge, formatDuration, formatTime, useLoad } from '../ui.js'
import { ok } from '../api.js'
import { useSession } from '../session.js'
import { liveClient, subscribe } from '../live.js'

/** @typedef {import('../api.js').Schemas['Run']} Run */
/** @typedef {Run['status']} RunStatus */
/** @typedef {{ runId: string, mappingId: string, phase: string, status: string | null, message: string | null } & Record<ShownCount, number>} Progress */

const STATUSES = /** @type {const} */ (['QUEUED', 'RUNNING', 'OK', 'WARNING', 'ERROR', 'CANCELLED'])
const SHOWN_COUNTS = /** @type {const} */ (['read', 'created', 'updated', 'deleted', 'linked', 'unchanged', 'failed'])
/** @typedef {(typeof SHOWN_COUNTS)[number]} ShownCount */

const PROGRESS_FIELDS = `runId mappingId phase status message ${SHOWN_COUNTS.join(' ')}`
const PROGRESS = `subscription { runProgress { ${PROGRESS_FIELDS} } }`
const FINISHED = `subscription { runFinished { ${PROGRESS_FIELDS} } }`

/** how often the list is read again while a listed run is queued or running */
const ACTIVE_REREAD_MS = 5000

/** @param {Run} run */
const active = (run) => run.status === 'QUEUED' || run.status === 'RUNNING'

/** @param {{ counts: Record<ShownCount, number> }} props */
function Counts({ counts }) {
  const given = SHOWN_COUNTS.filter((name) => counts[name] > 0)
  if (given.length === 0) return html`<span class="muted">none</span>`
  return html`<span class="counts"
    >${given.map((name) => html`<span key=${name}>${name} <strong>${counts[name]}</strong></span>`)}</span
  >`
}

export function Runs() {
  const { api, may, token } = useSession()
  const [status, setStatus] = useState(/** @type {RunStatus | ''} */ (''))
  const loaded = useLoad(async () => {
    const [runs, mappings] = await Promise.all([
      ok(api.GET('/api/v1/runs', { params: { query: { limit: 50, ...(status ? { status } : {}) } } })),
      ok(api.GET('/api/v1/mappings', { params: { query: { limit: 500 } } })),
    ])
    return {
      runs: runs.items,
      total: runs.total,
      mappingNames: Object.fromEntries(mappings.items.map((m) => [m.id, m.name])),
    }
  }, [api, status])
  const [progress, setProgress] = useState(/** @type {Record<string, Progress>} */ ({}))
  const [live, setLive] = useState(/** @type {'connecting' | 'live' | 'closed'} */ ('connecting'))
  const [error, setError] = useState(/** @type {unknown} */ (undefined))
  const reload = loaded.reload

  // progress of every run as it happens; a run that finishes (or one not listed yet) reloads the list
  useEffect(() => {
    const client = liveClient(token)
    // the list is read while the socket opens, so a run that moved on between the two (finished,
    // or started and went quiet) sent its events to nobody: read the list again once connected
    const offConnected = client.on('connected', () => {
      setLive('live')
      void reload()
    })
    const offClosed = client.on('closed', () => setLive('closed'))
    const stopProgress = subscribe(
      client,
      PROGRESS,
      (/** @type {{ runProgress: Progress }} */ data) =>
        setProgress((previous) => ({ ...previous, [data.runProgress.runId]: data.runProgress })),
      setError,
    )
    const stopFinished = subscribe(
      client,
      FINISHED,
      (/** @type {{ runFinished: Progress }} */ data) => {
        setProgress((previous) => ({ ...previous, [data.runFinished.runId]: data.runFinished }))
        void reload()
      },
      setError,
    )
    return () => {
      stopProgress()
      stopFinished()
      offConnected()
      offClosed()
      void client.dispose()
    }
  }, [token, reload])

  const data = loaded.data
  // a change can still slip past the subscriptions (one announced before the subscribe reached
  // the hub, or during a reconnect): while a listed run is active, read the list again now and then
  const anyActive = data?.runs.some(active) ?? false
  useEffect(() => {
    if (!anyActive) return
    const timer = setInterval(() => void reload(), ACTIVE_REREAD_MS)
    return () => clearInterval(timer)
  }, [anyActive, reload])
  // a run listed as queued, or not listed yet (started elsewhere), is read again as soon as its
  // first progress arrives: it has started
  // (once per run: one beyond the listed page stays unlisted)
  const readAgainFor = useRef(new Set())
  const stale =
    data === undefined || loaded.loading
      ? []
      : Object.keys(progress).filter((id) => {
          if (readAgainFor.current.has(id)) return false
          const listed = data.runs.find((run) => run.id === id)
          return listed === undefined ? !status || status === 'RUNNING' : listed.status === 'QUEUED'
        })
  useEffect(() => {
    if (stale.length === 0) return
    for (const id of stale) readAgainFor.current.add(id)
    void reload()
  }, [stale.join(), reload])

  /** @param {Run} run */
  async function cancel(run) {
    setError(undefined)
    try {
      await ok(api.POST('/api/v1/runs/{id}/cancel', { params: { path: { id: run.id } } }))
      await reload()
    } catch (refused) {
      setError(refused)
    }
  }

  return html`<section aria-labelledby="runs-title">
    <div class="title-row">
      <h1 id="runs-title">Runs</h1>
      <span class=${`live live-${live}`} role="status">
        ${live === 'live' ? 'Live updates on' : live === 'connecting' ? 'Connecting live updates...' : 'Live updates off'}
      </span>
    </div>
    <div class="filters">
      <label for="runs-status">Status</label>
      <select
        id="runs-status"
        value=${status}
        onChange=${(/** @type {Event} */ e) =>
          setStatus(/** @type {RunStatus | ''} */ (/** @type {HTMLSelectElement} */ (e.currentTarget).value))}
      >
        <option value="">any</option>
        ${STATUSES.map((s) => html`<option value=${s}>${s}</option>`)}
      </select>
    </div>
    <${ErrorNotice} error=${loaded.error ?? error} />
    ${
      data
        ? data.runs.length === 0
          ? html`<p>No run${status ? ` with status ${status}` : ''}.</p>`
          : html`<${Table}
                caption="Runs, newest first"
                columns=${['Mapping', 'Status', 'Trigger', 'Queued', 'Duration', 'Counts', 'Message', '']}
              >
                ${data.runs.map((run) => {
                  const now = progress[run.id]
                  const running = active(run) && now?.status !== 'done'
                  return html`<tr key=${run.id} data-run=${run.id} data-status=${run.status}>
                    <th scope="row">
                      ${data.mappingNames[run.mappingId] ?? run.mappingId}${run.dryRun ? html` <span class="muted">(plan)</span>` : null}
                    </th>
                    <td>
                      <${StatusBadge} status=${run.status} />
                      ${running && now ? html` <span class="phase" data-phase=${now.phase}>${now.phase}</span>` : null}
                      ${run.cancelRequested && active(run) ? html` <span class="muted">cancelling</span>` : null}
                    </td>
                    <td>${run.trigger} <span class="muted">${run.kind}</span></td>
                    <td>${formatTime(run.queuedAt)}</td>
                    <td>${formatDuration(run.startedAt, run.finishedAt)}</td>
                    <td><${Counts} counts=${running && now ? now : run.counts} /></td>
                    <td class="message">${run.message}</td>
                    <td class="row-actions">
                      <a class="button" href=${`#/run/${run.id}`}>
                        Details<span class="visually-hidden">
                          of the run of ${data.mappingNames[run.mappingId]} queued ${formatTime(run.queuedAt)}</span
                        >
                      </a>
                      ${
                        may('operator') && active(run) && !run.cancelRequested
                          ? html`<button type="button" class="danger" onClick=${() => cancel(run)}>
                              Cancel<span class="visually-hidden"> run of ${data.mappingNames[run.mappingId]}</span>
                            </button>`
                          : null
                      }
                    </td>
                  </tr>`
                })}
              <//>
              <p class="muted">${data.runs.length} of ${data.total} runs</p>`
        : loaded.loading
          ? html`<p class="loading">Loading...</p>`
          : null
    }
  </section>`
}
