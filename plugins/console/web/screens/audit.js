// The audit log (admin only): configuration changes newest first, page by page, each with who
// made it, what, on which target, whether it was applied, and its redacted request; filterable by
// action and by actor (the hub matches each exactly: "POST /api/v1/tokens", a token's name).
import { useState } from 'preact/hooks'
import { html, whenLoaded, ErrorNotice, OffsetPager, StatusBadge, Table, formatTime, useLoad } from '../ui.js'
import { ok } from '../api.js'
import { useSession } from '../session.js'

const PAGE = 50

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

  /** @param {SubmitEvent} event */
  function filter(event) {
    event.preventDefault()
    setOffset(0)
    setApplied({ action: typed.action.trim(), actor: typed.actor.trim() })
  }

  /**
   * @param {'action' | 'actor'} name
   * @param {string} label
   * @param {string} example
   */
  const field = (name, label, example) =>
    html`<label for=${`audit-${name}`}>${label}</label>
      <input
        id=${`audit-${name}`}
        type="search"
        placeholder=${example}
        value=${typed[name]}
        onInput=${(/** @type {Event} */ e) =>
          setTyped({ ...typed, [name]: /** @type {HTMLInputElement} */ (e.currentTarget).value })}
      />`

  return html`<section aria-labelledby="audit-title">
    <h1 id="audit-title">Audit log</h1>
    <form class="filters" role="search" aria-label="Filter the audit log" onSubmit=${filter}>
      ${field('action', 'Action', 'POST /api/v1/tokens')} ${field('actor', 'Actor', 'a token name')}
      <button type="submit">Filter</button>
    </form>
    <${ErrorNotice} error=${loaded.error} />
    ${whenLoaded(loaded, (page) =>
      page.items.length === 0
        ? html`<p>No audit entry${applied.action || applied.actor ? ' with these filters' : ''}.</p>`
        : html`<${Table}
              caption="Audit entries, newest first"
              columns=${['When', 'Who', 'Action', 'Target', 'Outcome', 'Request']}
            >
              ${page.items.map(
                (entry) =>
                  html`<tr key=${entry.id} data-action=${entry.action} data-outcome=${entry.outcome}>
                    <td>${formatTime(entry.at)}</td>
                    <td>${entry.actor.name} <span class="muted">${entry.actor.kind}</span></td>
                    <th scope="row"><code>${entry.action}</code></th>
                    <td>${entry.target}</td>
                    <td>
                      <${StatusBadge} status=${entry.outcome} />${
                        entry.errorCode ? html` <code>${entry.errorCode}</code>` : null
                      }
                    </td>
                    <td>
                      <details>
                        <summary>Summary<span class="visually-hidden"> of entry ${entry.id}</span></summary>
                        <pre>${JSON.stringify(entry.summary, null, 2)}</pre>
                      </details>
                    </td>
                  </tr>`,
              )}
            <//>
            <${OffsetPager}
              label="Pages of the audit log"
              noun="Entries"
              offset=${offset}
              page=${page}
              size=${PAGE}
              onOffset=${setOffset}
            />`,
    )}
  </section>`
}
