// The saved versions of a mapping: who saved each and when, what changed between a version and the
// current one side by side (each changed place with its value then and now), and, for an admin,
// restore after a confirmation (saved again as the newest version, validated again).
import { useState } from 'preact/hooks'
import { html, ErrorNotice, Table, ConfirmDialog, formatTime, useLoad } from '../ui.js'
import { ok } from '../api.js'
import { useSession } from '../session.js'

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
  return html`<section aria-labelledby="versions-title">
    <h1 id="versions-title">Versions${data ? `: ${data.mapping.name}` : ''}</h1>
    <${ErrorNotice} error=${loaded.error ?? diff.error ?? error} />
    ${
      data
        ? html`<${Table} caption="Saved versions, newest first" columns=${['Version', 'Saved', 'By', 'Note', '']}>
            ${data.versions.map(
              (v) =>
                html`<tr key=${v.version} data-version=${v.version}>
                  <th scope="row">
                    ${v.version}${v.version === current ? html` <span class="muted">(current)</span>` : null}
                  </th>
                  <td>${formatTime(v.createdAt)}</td>
                  <td>${v.createdBy}</td>
                  <td>${v.note}</td>
                  <td class="row-actions">
                    ${
                      v.version === current
                        ? null
                        : html`<button
                              type="button"
                              aria-pressed=${compared === v.version}
                              onClick=${() => setCompared(v.version)}
                            >
                              Compare<span class="visually-hidden"> version ${v.version}</span> with current
                            </button>
                            ${
                              may('admin')
                                ? html`<button type="button" class="danger" onClick=${() => setRestoring(v.version)}>
                                    Restore<span class="visually-hidden"> version ${v.version}</span>
                                  </button>`
                                : null
                            }`
                    }
                  </td>
                </tr>`,
            )}
          <//>`
        : loaded.loading
          ? html`<p class="loading">Loading...</p>`
          : null
    }
    ${
      diff.data
        ? html`<h2>Version ${diff.data.from} and the current version ${diff.data.to}</h2>
            ${
              diff.data.changes.length === 0
                ? html`<p>No difference.</p>`
                : html`<${Table}
                    caption=${`Differences between version ${diff.data.from} and version ${diff.data.to}`}
                    columns=${['Where', `Version ${diff.data.from}`, `Version ${diff.data.to} (current)`]}
                  >
                    ${diff.data.changes.map(
                      (change) =>
                        html`<tr key=${change.pointer} class=${`diff-${change.op}`}>
                          <th scope="row"><code>${change.pointer}</code></th>
                          <td class="diff-before">${shownJson(change.before)}</td>
                          <td class="diff-after">${shownJson(change.after)}</td>
                        </tr>`,
                    )}
                  <//>`
            }`
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
