// The relation mappings of the mapping editor: the mapping that links the records at the other
// end, and how each side holds the relation (a field on the record, rows of cmdb_rel_ci of one
// type, or rows of a table with two reference columns).
import { html } from '../ui.js'
import { useEditor, valueAt } from './mapping-draft.js'
import { SelectInput, TextInput } from './mapping-inputs.js'
import { ListEditor } from './mapping-list.js'

/** A relation side of each kind, with the members that kind requires. */
const BLANK_SIDES = /** @type {Record<string, Record<string, string>>} */ ({
  field: { kind: 'field', field: '' },
  cmdbRelCi: { kind: 'cmdbRelCi', relType: '', self: 'parent' },
  table: { kind: 'table', table: '', selfField: '', otherField: '' },
})

/** @type {Array<[string, string]>} */
const KINDS = [
  ['field', 'a relation or reference field on the record'],
  ['cmdbRelCi', 'rows of cmdb_rel_ci of one type'],
  ['table', 'rows of a table with two reference columns'],
]

/** @param {{ at: string, title: string }} props */
function RelationSideEditor({ at, title }) {
  const { draft, set } = useEditor()
  const kind = valueAt(draft, `${at}/kind`)
  return html`<fieldset class="relation-side">
    <legend>${title}</legend>
    <${SelectInput}
      at=${`${at}/kind`}
      label="Held as"
      options=${KINDS}
      onChoose=${(/** @type {string} */ chosen) => set(at, { ...BLANK_SIDES[chosen] })}
    />
    ${kind === 'field' ? html`<${TextInput} at=${`${at}/field`} label="Relation field" required />` : null}
    ${
      kind === 'cmdbRelCi'
        ? html`<${TextInput}
              at=${`${at}/relType`}
              label="Relationship type"
              required
              hint="parent descriptor::child descriptor, e.g. Provided by::Provides"
            />
            <${SelectInput} at=${`${at}/self`} label="This mapping's records are the" options=${['parent', 'child']} />
            <${TextInput} at=${`${at}/table`} label="Table" hint="default cmdb_rel_ci" />`
        : null
    }
    ${
      kind === 'table'
        ? html`<${TextInput} at=${`${at}/table`} label="Table" required />
            <${TextInput} at=${`${at}/selfField`} label="Column of this mapping's record" required />
            <${TextInput} at=${`${at}/otherField`} label="Column of the other record" required />`
        : null
    }
  </fieldset>`
}

/** @param {{ mappingNames: string[] }} props */
export function RelationMappings({ mappingNames }) {
  return html`<datalist id="mapping-names">${mappingNames.map((name) => html`<option value=${name} />`)}</datalist>
    <${ListEditor}
      at="/relations"
      itemLabel=${(/** @type {number} */ i) => `Relation mapping ${i + 1}`}
      addLabel="Add relation mapping"
      blank=${() => ({ otherMapping: '', source: { ...BLANK_SIDES.field }, target: { ...BLANK_SIDES.field } })}
      item=${(/** @type {string} */ pointer) =>
        html`<${TextInput} at=${`${pointer}/name`} label="Relation name" />
          <${TextInput}
            at=${`${pointer}/otherMapping`}
            label="Other mapping"
            required
            list="mapping-names"
            hint="name or id of the mapping that links the records at the other end"
          />
          <div class="sides">
            <${RelationSideEditor} at=${`${pointer}/source`} title="On the source" />
            <${RelationSideEditor} at=${`${pointer}/target`} title="On the target" />
          </div>`}
    />`
}
