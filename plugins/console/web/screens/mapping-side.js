// One side of a mapping in the editor: its connection and entity (a ServiceNow table, a LeanIX
// fact sheet type and category), its constraints in the system's own language (an encoded query,
// a facet filter) and its graph rules, and the field the hub writes the source id to.
import { html } from '../ui.js'
import { inputId, useEditor } from './mapping-draft.js'
import { GroupProblems, NumberInput, SelectInput, TextInput } from './mapping-inputs.js'
import { ListEditor } from './mapping-list.js'
import { SideSuggestions, suggestionLists } from './mapping-suggestions.js'

/** @typedef {import('../api.js').Schemas['Connection']} Connection */

/** What an entity and a constraint are called in each connector's own words. */
const WORDS = /** @type {Record<string, { entity: string, filter: string, filterHint: string }>} */ ({
  servicenow: {
    entity: 'Table',
    filter: 'Constraint (encoded query)',
    filterHint: 'a ServiceNow encoded query, e.g. operational_status=1^install_statusIN1,3',
  },
  leanix: {
    entity: 'Fact sheet type',
    filter: 'Constraint (facet filter)',
    filterHint: 'a LeanIX facet filter as JSON',
  },
})
const OTHER_WORDS = { entity: 'Entity', filter: 'Constraint', filterHint: "in the system's own language" }

/** @param {{ side: 'source' | 'target', title: string, connections: Connection[] }} props */
export function SideEditor({ side, title, connections }) {
  const { draft } = useEditor()
  const at = `/${side}`
  const connector = connections.find((c) => c.id === draft[side].connectionId)?.connector ?? ''
  const words = WORDS[connector] ?? OTHER_WORDS
  const lists = suggestionLists(side)
  return html`<fieldset class="side" aria-describedby=${`${inputId(at)}-problem`}>
    <legend>${title}</legend>
    <${SideSuggestions} side=${side} connectionId=${draft[side].connectionId} entity=${draft[side].entity} />
    <${GroupProblems} at=${at} />
    <${SelectInput}
      at=${`${at}/connectionId`}
      label="Connection"
      options=${connections.map((c) => [c.id, `${c.name} (${c.connector})`])}
      unset=${connections.some((c) => c.id === draft[side].connectionId) ? undefined : '(choose a connection)'}
    />
    <${TextInput} at=${`${at}/entity`} label=${words.entity} required list=${lists.entities} />
    ${
      connector === 'leanix' || draft[side].category !== undefined
        ? html`<${TextInput} at=${`${at}/category`} label="Category (fact sheet subtype)" />`
        : null
    }
    <${TextInput} at=${`${at}/filter`} label=${words.filter} hint=${words.filterHint} multiline />
    <${TextInput}
      at=${`${at}/identityField`}
      label="Identity field"
      hint="where the hub writes the source id on records it creates (default: the connector's)"
    />
    <fieldset class="graph-rules">
      <legend>Graph rules (${side})</legend>
      <${ListEditor}
        at=${`${at}/graphRules`}
        compact
        itemLabel=${(/** @type {number} */ i) => `Graph rule ${i + 1} (${side})`}
        addLabel=${`Add graph rule (${side})`}
        blank=${() => ({ rule: '' })}
        item=${(/** @type {string} */ pointer) =>
          html`<${TextInput}
              at=${`${pointer}/rule`}
              label="Rule"
              required
              list=${lists.rules}
              hint="a rule the connector computes, e.g. APPLICATION_SAM_CONNECTION"
            />
            <${TextInput} at=${`${pointer}/filter`} label="Rule filter" />
            <${NumberInput} at=${`${pointer}/hops`} label="Hops" min=${1} max=${6} />`}
      />
    </fieldset>
  </fieldset>`
}
