// How a mapping links and deletes records and follows change events, in the mapping editor:
// matching rules (tried in order for a source record with no link yet), the deletion guard, and
// the event settings.
import { html } from '../ui.js'
import { CheckboxInput, NamesInput, NumberInput, SelectInput } from './mapping-inputs.js'
import { ListEditor } from './mapping-list.js'

/** @type {Array<[string, string]>} */
const PARTIAL_SYNC = [
  ['full', 'full: a partial sync of each changed record'],
  ['withoutRelations', 'without relations: record fields only'],
  ['skip', 'skip: change events do nothing'],
]

export function MatchingSettings() {
  return html`<${ListEditor}
      at="/matching/rules"
      compact
      itemLabel=${(/** @type {number} */ i) => `Matching rule ${i + 1}`}
      addLabel="Add matching rule"
      blank=${() => ({ source: [], target: [] })}
      item=${(/** @type {string} */ pointer) =>
        html`<${NamesInput} at=${`${pointer}/source`} label="Source fields" hint="comma-separated, concatenated" />
          <${NamesInput} at=${`${pointer}/target`} label="Target fields" hint="comma-separated, concatenated" />`}
    />
    <${CheckboxInput} at="/matching/ignoreCase" label="Ignore case" />
    <${CheckboxInput} at="/matching/collapseWhitespace" label="Trim and collapse white space" />`
}

export function DeletionAndEventSettings() {
  return html`<${NumberInput}
      at="/deletion/maxRatio"
      label="Largest share of targets a sweep may delete"
      min=${0}
      max=${1}
      fraction
    />
    <${CheckboxInput} at="/deletion/refuseEmptySource" label="Refuse deletions when the source read nothing" />
    <${SelectInput} at="/events/partialSync" label="Change events" options=${PARTIAL_SYNC} />
    <${CheckboxInput} at="/events/shortBuffering" label="Sync each change at once" hint="instead of batching changes" />
    <${NumberInput} at="/events/batchSize" label="Changes that start a batch" min=${1} max=${100000} />
    <${NumberInput}
      at="/events/batchMinutes"
      label="Minutes after the first change that start a batch"
      min=${0}
      max=${1440}
      fraction
    />`
}
