// Suggestions for the names the mapping editor asks for: a side's entities (tables, fact sheet
// types), the fields of the chosen one and its graph rules, as the connection's schema discovery
// lists them (GET /api/v1/connections/{id}/entities). They are offered through datalists, so
// typing stays free: a table the discovery does not list may still be mapped, and the hub's
// validation on save is what decides.
import { html, useLoad } from '../ui.js'
import { ok } from '../api.js'
import { useSession } from '../session.js'

/** The datalist ids of a side's suggestions. */
export const suggestionLists = (/** @type {string} */ side) => ({
  entities: `entities-${side}`,
  fields: `fields-${side}`,
  rules: `rules-${side}`,
})

/** @param {{ side: string, connectionId: string, entity: string }} props */
export function SideSuggestions({ side, connectionId, entity }) {
  const { api } = useSession()
  const loaded = useLoad(
    async () =>
      connectionId
        ? (await ok(api.GET('/api/v1/connections/{id}/entities', { params: { path: { id: connectionId } } }))).items
        : [],
    [api, connectionId],
  )
  const entities = loaded.data ?? []
  const chosen = entities.find((e) => e.name === entity)
  const lists = suggestionLists(side)
  return html`<datalist id=${lists.entities}>
      ${entities.map((e) => html`<option value=${e.name}>${e.label}</option>`)}
    </datalist>
    <datalist id=${lists.fields}>
      ${chosen?.fields.filter((f) => !f.secret).map((f) => html`<option value=${f.name}>${f.label}</option>`)}
    </datalist>
    <datalist id=${lists.rules}>
      ${chosen?.graphRules?.map((r) => html`<option value=${r.name}>${r.description}</option>`)}
    </datalist>`
}
