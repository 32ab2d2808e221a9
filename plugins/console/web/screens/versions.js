// The saved versions of a mapping: who saved each and when, what changed between a version and the
// current one side by side (each changed place with its value then and now), and, for an admin,
// restore after a confirmation (saved again as the newest version, validated again).
import { useState } from 'preact/hooks'
import { html, ErrorNotice, ConfirmDialog, useLoad } from '../ui.js'
import { DataTable, timeColumn, valueColumn } from '../table.js'
import { ok } from '../api.js'
import { useSession } from '../session.js'

/** @typedef {import('../api.js').Operations['listMappingVersions']['responses'][200]['content']['application/json']['items'][number]} Version */
/** @typedef {import('../api.js').Operations['diffMappingVersion']['responses'][200]['content']['application/json']['changes'][number]} Change */

/** @param {unknown} value */
function shownJson(value) {
  if (value === undefined) return html`<span class="muted">(none)</span>`
  return html`<pre>${JSON.stringify(value, null, 2)}</pre>`
}

/** @param {{ mappingId: string }} props */
export function Versions({ mappingId }) {
  const { api, may } = useSession()
  const loaded = useLoad(async () => {
    const [mapping, versions] = await Promise.all([
      ok(api.GET('/api/v1/mappings/{id}', { params: { path: { id: mappingId } } })),
      ok(api.GET('/api/v1/mappings/{id}/versions', { params: { path: { id: mappingId } } })),
    ])
    return { mapping, versions: versions.items }
  }, [api, mappingId])
  const [compared, setCompared] = useState(/** @type {number | undefined} */ (undefined))
  const [restoring, setRestoring] = useState(/** @type {number | undefined} */ (undefined))
  const [error, setError] = useState(/** @type {unknown} */ (undefined))
  const current = loaded.data?.mapping.version

  const diff = useLoad(async () => {
    if (compared === undefined) return undefined
    return ok(
      api.GET('/api/v1/mappings/{id}/versions/{version}/diff', {
        params: { path: { id: mappingId, version: compared }, query: {} },
      }),
    )
  }, [api, mappingId, compared, current])

  /** @param {number} version */
  async function restore(version) {
    setRestoring(undefined)
    setError(undefined)
    try {
      await ok(
        api.POST('/api/v1/mappings/{id}/versions/{version}/restore', { params: { path: { id: mappingId, version } } }),
      )
      setCompared(undefined)
      await loaded.reload()
    } catch (refused) {
      setError(refused)
    }
  }

  const data = loaded.data
  /** @type {import('../table.js').Column<Version>[]} */
  const columns = [
    {
      id: 'version',
      header: 'Version',
      rowHeader: true,
      sort: (v) => v.version,
      cell: (v) => html`${v.version}${v.version === current ? html` <span class="muted">(current)</span>` : null}`,
    },
    timeColumn('saved', 'Saved', (v) => v.createdAt),
    valueColumn('by', 'By', (v) => v.createdBy),
    { id: 'note', header: 'Note', cell: (v) => v.note },
    {
      id: 'actions',
      header: '',
      className: 'row-actions',
      cell: (v) =>
        v.version === current
          ? null
          : html`<button type="button" aria-pressed=${compared === v.version} onClick=${() => setCompared(v.version)}>
                Compare<span class="visually-hidden"> version ${v.version}</span> with current
              </button>
              ${
                may('admin')
                  ? html`<button type="button" class="danger" onClick=${() => setRestoring(v.version)}>
                      Restore<span class="visually-hidden"> version ${v.version}</span>
                    </button>`
                  : null
              }`,
    },
  ]
  return html`<section aria-labelledby="versions-title">
    <h1 id="versions-title">Versions${data ? `: ${data.mapping.name}` : ''}</h1>
    <${ErrorNotice} error=${loaded.error ?? diff.error ?? error} />
    <${DataTable}
      caption="Saved versions, newest first"
      columns=${columns}
      rows=${data?.versions}
      loading=${loaded.loading}
      rowKey=${(/** @type {Version} */ v) => String(v.version)}
      rowProps=${(/** @type {Version} */ v) => ({ 'data-version': v.version })}
      empty="No saved version."
    />
    ${
      diff.data
        ? html`<h2>Version ${diff.data.from} and the current version ${diff.data.to}</h2>
            <${DataTable}
              caption=${`Differences between version ${diff.data.from} and version ${diff.data.to}`}
              columns=${[
                {
                  id: 'where',
                  header: 'Where',
                  rowHeader: true,
                  sort: (/** @type {Change} */ change) => change.pointer,
                  cell: (/** @type {Change} */ change) => html`<code>${change.pointer}</code>`,
                },
                {
                  id: 'before',
                  header: `Version ${diff.data.from}`,
                  className: 'diff-before',
                  cell: (/** @type {Change} */ change) => shownJson(change.before),
                },
                {
                  id: 'after',
                  header: `Version ${diff.data.to} (current)`,
                  className: 'diff-after',
                  cell: (/** @type {Change} */ change) => shownJson(change.after),
                },
              ]}
              rows=${diff.data.changes}
              rowKey=${(/** @type {Change} */ change) => change.pointer}
              rowProps=${(/** @type {Change} */ change) => ({ class: `diff-${change.op}` })}
              empty="No difference."
            />`
        : null
    }
    ${
      restoring !== undefined
        ? html`<${ConfirmDialog}
            title=${`Restore version ${restoring}?`}
            confirmLabel="Restore"
            onCancel=${() => setRestoring(undefined)}
            onConfirm=${() => restore(restoring)}
          >
            <p>Version ${restoring} is saved again as the newest version; the versions in between are kept.</p>
          <//>`
        : null
    }
  </section>`
}
