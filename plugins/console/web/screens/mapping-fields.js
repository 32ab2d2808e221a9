// The field mappings of the mapping editor: each of the model's field mapping types with the
// members it has (core/mapping/schema.ts), its direction, and a value table where it has one.
// Changing a row's type keeps the members both types have.
import { html } from '../ui.js'
import { useEditor, valueAt } from './mapping-draft.js'
import { NumberInput, ScalarInput, SelectInput, TextInput } from './mapping-inputs.js'
import { ListEditor } from './mapping-list.js'
import { suggestionLists } from './mapping-suggestions.js'

/**
 * The members of each type, in the order they are shown; `directed` types have a direction and
 * an id.
 * @type {Record<string, { title: string, members: string[], directed: boolean }>}
 */
const TYPES = {
  field: { title: 'Copy a value', members: ['source', 'target'], directed: true },
  valueMap: { title: 'Value map', members: ['source', 'target', 'values', 'unmapped'], directed: true },
  fixed: { title: 'Fixed value', members: ['target', 'value'], directed: true },
  url: { title: "Counterpart's URL", members: ['target'], directed: true },
  externalId: { title: "Counterpart's id", members: ['target'], directed: true },
  lifecycle: { title: 'Lifecycle', members: ['source', 'target', 'phase', 'values', 'unmapped'], directed: true },
  tagGroup: { title: 'Tag group', members: ['tagGroup', 'field', 'values', 'unmapped'], directed: true },
  subscription: {
    title: 'Subscription',
    members: ['subscriptionType', 'role', 'field', 'userEntity'],
    directed: true,
  },
  archivedStatus: { title: 'Archived status', members: ['target', 'value'], directed: false },
  relatedNames: { title: 'Related names', members: ['relation', 'field', 'max'], directed: true },
}

/** Members a new row of a type starts with (those the type requires). */
const REQUIRED_START = /** @type {Record<string, unknown>} */ ({
  source: '',
  target: '',
  tagGroup: '',
  field: '',
  relation: '',
  value: '',
  values: [],
  subscriptionType: 'RESPONSIBLE',
})
const OPTIONAL = new Set(['unmapped', 'phase', 'role', 'userEntity', 'max'])

/**
 * A field mapping of `type`, with what `from` has that the type has too.
 * @param {string} type
 * @param {Record<string, unknown>} [from]
 */
function fieldOfType(type, from = {}) {
  const { members, directed } = TYPES[type] ?? { members: [], directed: false }
  /** @type {Record<string, unknown>} */
  const field = { type }
  for (const member of members) {
    if (from[member] !== undefined) field[member] = from[member]
    else if (!OPTIONAL.has(member) && !(type === 'lifecycle' && member === 'values')) {
      field[member] = REQUIRED_START[member]
    }
  }
  if (directed) {
    for (const member of ['id', 'direction']) if (from[member] !== undefined) field[member] = from[member]
  }
  return field
}

/** @type {Array<[string, string]>} */
const UNMAPPED = [
  ['ignore', 'ignore: leave the other side as it is'],
  ['clear', 'clear: empty the other side'],
]

/** @param {{ at: string }} props */
function ValueTable({ at }) {
  return html`<div class="value-table">
    <${ListEditor}
      at=${`${at}/values`}
      compact
      itemLabel=${(/** @type {number} */ i) => `Value ${i + 1}`}
      addLabel="Add value"
      blank=${() => ({ source: '', target: '' })}
      item=${(/** @type {string} */ pointer) =>
        html`<${TextInput} at=${`${pointer}/source`} label="Source value" required />
          <${TextInput} at=${`${pointer}/target`} label="Target value" required />`}
    />
    <${SelectInput}
      at=${`${at}/unmapped`}
      label="A value the table does not name"
      options=${UNMAPPED}
      unset="(default) ignore"
    />
  </div>`
}

/**
 * The input of one member of a field mapping (the value table and its unmapped choice apart).
 * @param {string} pointer
 * @param {string} member
 */
function memberInput(pointer, member) {
  const at = `${pointer}/${member}`
  switch (member) {
    case 'source':
      return html`<${TextInput}
        at=${at}
        label="Source field"
        required
        list=${suggestionLists('source').fields}
        hint="dot-walking (a.b) is allowed"
      />`
    case 'target':
      return html`<${TextInput} at=${at} label="Target field" required list=${suggestionLists('target').fields} />`
    case 'field':
      return html`<${TextInput} at=${at} label="Field on the other side" required />`
    case 'tagGroup':
      return html`<${TextInput} at=${at} label="Tag group" required hint='"Other tags" for tags without a group' />`
    case 'relation':
      return html`<${TextInput} at=${at} label="Relation field" required />`
    case 'phase':
      return html`<${TextInput}
        at=${at}
        label="Phase"
        hint="plan, phaseIn, active, phaseOut or endOfLife: its start date; empty: the current phase through the value table"
      />`
    case 'role':
      return html`<${TextInput} at=${at} label="Subscription role" />`
    case 'userEntity':
      return html`<${TextInput} at=${at} label="User entity" hint="default: the reference's table, else sys_user" />`
    case 'max':
      return html`<${NumberInput} at=${at} label="Names listed at most" min=${1} max=${100} />`
    case 'value':
      return html`<${ScalarInput} at=${at} label="Value" />`
    case 'subscriptionType':
      return html`<${SelectInput}
        at=${at}
        label="Subscription type"
        options=${['RESPONSIBLE', 'ACCOUNTABLE', 'OBSERVER']}
      />`
    default:
      return null
  }
}

/** @param {{ at: string }} props */
function FieldMappingRow({ at }) {
  const { draft, set } = useEditor()
  const field = /** @type {Record<string, unknown>} */ (valueAt(draft, at) ?? {})
  const type = typeof field.type === 'string' ? field.type : ''
  const known = TYPES[type]
  return html`<div class="field-mapping">
    <${SelectInput}
      at=${`${at}/type`}
      label="Type"
      options=${[
        ...(known ? [] : [[type, type || '(none)']]),
        ...Object.entries(TYPES).map(([name, { title }]) => [name, title]),
      ]}
      onChoose=${(/** @type {string} */ chosen) => set(at, fieldOfType(chosen, field))}
    />
    ${known?.members.filter((m) => m !== 'unmapped' && m !== 'values').map((member) => memberInput(at, member))}
    ${
      known?.directed
        ? html`<${SelectInput}
              at=${`${at}/direction`}
              label="Direction"
              fallback="toTarget"
              options=${[
                ['toTarget', 'to the target'],
                ['toSource', 'to the source (back)'],
              ]}
            />
            <${TextInput}
              at=${`${at}/id`}
              label="Key"
              hint="stable key of this field mapping (default: its written field)"
            />`
        : null
    }
    ${known?.members.includes('values') ? html`<${ValueTable} at=${at} />` : null}
  </div>`
}

export function FieldMappings() {
  const { draft } = useEditor()
  /** @param {number} index */
  const label = (index) => {
    const field = /** @type {Record<string, unknown> | undefined} */ (draft.fields[index])
    const written = field?.target ?? field?.field ?? field?.tagGroup
    return `Field mapping ${index + 1}${typeof written === 'string' && written ? `: ${written}` : ''}`
  }
  return html`<${ListEditor}
    at="/fields"
    itemLabel=${label}
    addLabel="Add field mapping"
    blank=${() => fieldOfType('field')}
    item=${(/** @type {string} */ pointer) => html`<${FieldMappingRow} at=${pointer} />`}
  />`
}
