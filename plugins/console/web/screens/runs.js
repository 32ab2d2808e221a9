// Runs: the history (newest first, filterable by status, 50 a page with older pages behind) with
// counts and duration, kept live by the runProgress and runFinished subscriptions over WebSocket,
// and cancel (operator) for a run that is queued or running.
import { useEffect, useRef, useState } from 'preact/hooks'
import { html, ErrorNotice, OffsetPager, StatusBadge, formatDuration, formatTime, useLoad } from '../ui.js'
import { DataTable, timeColumn } from '../table.js'
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

const PAGE = 50

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
  // how many newer runs are before the page on screen (0: the newest)
  const [offset, setOffset] = useState(0)
  const loaded = useLoad(async () => {
    const [runs, mappings] = await Promise.all([
      ok(api.GET('/api/v1/runs', { params: { query: { limit: PAGE, offset, ...(status ? { status } : {}) } } })),
      ok(api.GET('/api/v1/mappings', { params: { query: { limit: 500 } } })),
    ])
    return {
      runs: runs.items,
      total: runs.total,
      // which page this is travels with it: the pager shows the page on screen, not the one asked for
      offset,
      mappingNames: Object.fromEntries(mappings.items.map((m) => [m.id, m.name])),
    }
  }, [api, status, offset])
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
  // (once per run: one beyond the listed page stays unlisted; a new run is not on an older page)
  const readAgainFor = useRef(new Set())
  const stale =
    data === undefined || loaded.loading
      ? []
      : Object.keys(progress).filter((id) => {
          if (readAgainFor.current.has(id)) return false
          const listed = data.runs.find((run) => run.id === id)
          if (listed === undefined) return data.offset === 0 && (!status || status === 'RUNNING')
          return listed.status === 'QUEUED'
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

  /** @param {Run} run */
  const mappingName = (run) => data?.mappingNames[run.mappingId] ?? run.mappingId
  /** @param {Run} run */
  const running = (run) => active(run) && progress[run.id] !== undefined && progress[run.id]?.status !== 'done'
  /** @type {import('../table.js').Column<Run>[]} */
  const columns = [
    {
      id: 'mapping',
      header: 'Mapping',
      rowHeader: true,
      sort: mappingName,
      cell: (run) => html`${mappingName(run)}${run.dryRun ? html` <span class="muted">(plan)</span>` : null}`,
    },
    {
      id: 'status',
      header: 'Status',
      sort: (run) => run.status,
      cell: (run) => {
        const now = progress[run.id]
        return html`<${StatusBadge} status=${run.status} />
          ${running(run) && now ? html` <span class="phase" data-phase=${now.phase}>${now.phase}</span>` : null}
          ${run.cancelRequested && active(run) ? html` <span class="muted">cancelling</span>` : null}`
      },
    },
    {
      id: 'trigger',
      header: 'Trigger',
      sort: (run) => run.trigger,
      cell: (run) => html`${run.trigger} <span class="muted">${run.kind}</span>`,
    },
    timeColumn('queued', 'Queued', (run) => run.queuedAt),
    {
      id: 'duration',
      header: 'Duration',
      sort: (run) =>
        run.startedAt && run.finishedAt ? Date.parse(run.finishedAt) - Date.parse(run.startedAt) : undefined,
      cell: (run) => formatDuration(run.startedAt, run.finishedAt),
    },
    {
      id: 'counts',
      header: 'Counts',
      cell: (run) => {
        const now = progress[run.id]
        return html`<${Counts} counts=${running(run) && now ? now : run.counts} />`
      },
    },
    { id: 'message', header: 'Message', className: 'message', cell: (run) => run.message },
    {
      id: 'actions',
      header: '',
      className: 'row-actions',
      cell: (run) =>
        html`<a class="button" href=${`#/run/${run.id}`}>
            Details<span class="visually-hidden">
              of the run of ${mappingName(run)} queued ${formatTime(run.queuedAt)}</span
            >
          </a>
          ${
            may('operator') && active(run) && !run.cancelRequested
              ? html`<button type="button" class="danger" onClick=${() => cancel(run)}>
                  Cancel<span class="visually-hidden"> run of ${mappingName(run)}</span>
                </button>`
              : null
          }`,
    },
  ]

  return html`<section aria-labelledby="runs-title">
    <div class="title-row">
      <h1 id="runs-title">Runs</h1>
      <span class=${`live live-${live}`} role="status">
        ${live === 'live' ? 'Live updates on' : live === 'connecting' ? 'Connecting live updates...' : 'Live updates off'}
      </span>
    </div>
    <${ErrorNotice} error=${loaded.error ?? error} />
    <${DataTable}
      caption="Runs, newest first"
      columns=${columns}
      rows=${data?.runs}
      loading=${loaded.loading}
      rowKey=${(/** @type {Run} */ run) => run.id}
      rowProps=${(/** @type {Run} */ run) => ({ 'data-run': run.id, 'data-status': run.status })}
      empty=${`No run${status ? ` with status ${status}` : ''}${data && data.offset > 0 ? ' on this page' : ''}.`}
      filters=${[
        {
          id: 'runs-status',
          label: 'Status',
          value: status,
          options: STATUSES,
          onChange: (/** @type {string} */ value) => {
            setOffset(0)
            setStatus(/** @type {RunStatus | ''} */ (value))
          },
        },
      ]}
      pager=${
        data &&
        html`<${OffsetPager}
          label="Pages of runs"
          noun="Runs"
          previous="Newer runs"
          next="Older runs"
          offset=${data.offset}
          page=${{ items: data.runs, total: data.total }}
          size=${PAGE}
          onOffset=${setOffset}
        />`
      }
    />
  </section>`
}
