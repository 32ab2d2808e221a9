// The mapping editor (admin): create a mapping or edit one, the whole model of
// core/mapping/schema.ts (name, sides with their constraints and graph rules, mode, schedule,
// field mappings with their value tables, relation mappings; folded away until a problem is in
// them: matching rules, the deletion guard and event settings). A save sends the whole
// definition (PUT with If-Match, so a save over someone else's is refused); the hub's problems
// are shown at the input their JSON pointer names, those that name none at the top, and the
// draft stays as typed.
import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks'
import { html, ErrorNotice, useLoad } from '../ui.js'
import { ApiError, ok } from '../api.js'
import { useSession } from '../session.js'
import { useUnsavedChanges } from '../leave-guard.js'
import { EditorContext, withValueAt } from './mapping-draft.js'
import { CheckboxInput, SelectInput, TextInput } from './mapping-inputs.js'
import { SideEditor } from './mapping-side.js'
import { FieldMappings } from './mapping-fields.js'
import { RelationMappings } from './mapping-relations.js'
import { DeletionAndEventSettings, MatchingSettings } from './mapping-settings.js'

/** @typedef {import('../api.js').Schemas['Mapping']} Mapping */
/** @typedef {import('../api.js').Schemas['MappingDefinition']} MappingDefinition */
/** @typedef {import('../api.js').Schemas['Connection']} Connection */
/** @typedef {{ pointer: string, message: string }} Problem */

/**
 * A new mapping's start: the first connection as the source, another as the target.
 * @param {Connection[]} connections
 * @returns {MappingDefinition}
 */
function blankDefinition(connections) {
  const source = connections[0]?.id ?? ''
  const target = connections.find((c) => c.id !== source)?.id ?? source
  return {
    name: '',
    enabled: true,
    source: { connectionId: source, entity: '' },
    target: { connectionId: target, entity: '' },
    mode: 'conservative',
    fields: [],
    relations: [],
    schedule: { cron: '0 0 * * *', timezone: 'UTC' },
    // the hub's defaults, shown as such
    matching: { rules: [{ source: ['name'], target: ['name'] }], ignoreCase: true, collapseWhitespace: true },
    deletion: { maxRatio: 0.5, refuseEmptySource: true },
    events: { partialSync: 'full', shortBuffering: false, batchSize: 5000, batchMinutes: 15 },
  }
}

/**
 * The problems of a refusal none of the form's inputs shows, found after each draw by the
 * data-pointer of every input and group in `form` (one or more pointers, space-separated).
 * @param {{ current: HTMLFormElement | null }} form
 * @param {Problem[]} problems
 */
function useUnplacedProblems(form, problems) {
  const [unplaced, setUnplaced] = useState(/** @type {Problem[]} */ ([]))
  useLayoutEffect(() => {
    const shown = new Set(
      [...(form.current?.querySelectorAll('[data-pointer]') ?? [])].flatMap((e) =>
        (e.getAttribute('data-pointer') ?? '').split(' '),
      ),
    )
    const next = problems.filter((p) => !shown.has(p.pointer))
    if (JSON.stringify(next) !== JSON.stringify(unplaced)) setUnplaced(next)
  })
  return unplaced
}

/**
 * A definition written so that two equal ones are the same text: keys sorted, properties that
 * are undefined left out (an input cleared and one never filled are the same draft).
 * @param {unknown} definition
 */
function canonical(definition) {
  return JSON.stringify(definition, (_key, value) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(
          Object.entries(value)
            .filter(([, v]) => v !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : value,
  )
}

/** @param {{ mapping?: Mapping, connections: Connection[], mappingNames: string[] }} props */
function EditorForm({ mapping, connections, mappingNames }) {
  const { api } = useSession()
  const [draft, setDraft] = useState(() => mapping?.definition ?? blankDefinition(connections))
  const [version, setVersion] = useState(mapping?.version)
  const [error, setError] = useState(/** @type {unknown} */ (undefined))
  const [saved, setSaved] = useState(/** @type {number | undefined} */ (undefined))
  const [busy, setBusy] = useState(false)
  const form = useRef(/** @type {HTMLFormElement | null} */ (null))
  // the definition as the hub has it; the draft differs from it while there are unsaved changes
  const savedAs = useRef(canonical(draft))
  const latestDraft = useRef(draft)
  latestDraft.current = draft
  useUnsavedChanges(
    useCallback(
      () =>
        canonical(latestDraft.current) === savedAs.current
          ? undefined
          : mapping
            ? `the changes to the mapping ${mapping.name}`
            : 'the new mapping',
      [mapping],
    ),
  )
  const problems = error instanceof ApiError ? error.problems : []
  const unplaced = useUnplacedProblems(form, problems)
  // after a refused save, focus goes to the first input with a problem (or the notice)
  const focusProblem = useRef(false)
  useLayoutEffect(() => {
    if (!focusProblem.current || !form.current) return
    focusProblem.current = false
    const first = form.current.querySelector('[aria-invalid="true"]') ?? form.current.querySelector('[role="alert"]')
    if (first instanceof HTMLElement) first.focus()
  })

  /** @type {import('./mapping-draft.js').Editor} */
  const editor = {
    draft,
    set(pointer, value) {
      setDraft((current) => withValueAt(current, pointer, value))
      setSaved(undefined)
      // problems of later items of a list would point at the wrong ones once an item is gone
      if (value === undefined && /\/\d+$/.test(pointer)) setError(undefined)
    },
    problemsAt: (pointer) => problems.filter((p) => p.pointer === pointer).map((p) => p.message),
  }

  /** @param {SubmitEvent} event */
  async function save(event) {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    setSaved(undefined)
    try {
      if (mapping && version !== undefined) {
        const updated = await ok(
          api.PUT('/api/v1/mappings/{id}', {
            params: { path: { id: mapping.id }, header: { 'if-match': `"${version}"` } },
            body: draft,
          }),
        )
        savedAs.current = canonical(updated.definition)
        setDraft(updated.definition)
        setVersion(updated.version)
        setSaved(updated.version)
      } else {
        await ok(api.POST('/api/v1/mappings', { body: draft }))
        savedAs.current = canonical(draft)
        location.hash = '#/mappings'
      }
    } catch (refused) {
      focusProblem.current = true
      setError(refused)
    } finally {
      setBusy(false)
    }
  }

  const title = mapping ? `Edit mapping ${mapping.name}` : 'New mapping'
  return html`<${EditorContext.Provider} value=${editor}>
    <form class="mapping-editor" ref=${form} onSubmit=${save} aria-label=${title} novalidate>
      ${
        error instanceof ApiError && error.problems.length > 0
          ? html`<div class="error" role="alert" tabindex="-1">
              <p>
                <code>${error.code}</code> The hub did not save the mapping: ${problems.length}
                problem${problems.length === 1 ? '' : 's'}${unplaced.length < problems.length ? ', each shown at its field' : ''}.
              </p>
              ${
                unplaced.length > 0
                  ? html`<ul class="problems">
                      ${unplaced.map((p) => html`<li><code>${p.pointer || '/'}</code> ${p.message}</li>`)}
                    </ul>`
                  : null
              }
            </div>`
          : html`<${ErrorNotice} error=${error} />`
      }
      <fieldset>
        <legend>Mapping</legend>
        <${TextInput} at="/name" label="Name" required />
        <${TextInput} at="/description" label="Description" multiline />
        <${CheckboxInput} at="/enabled" label="Enabled" hint="a disabled mapping neither runs nor follows events" />
        <${SelectInput}
          at="/mode"
          label="Mode"
          hint="additive never deletes; conservative deletes targets this mapping created or linked whose source is gone; strict also deletes every target in scope with no source counterpart (behind the deletion guard)"
          options=${['additive', 'conservative', 'strict']}
        />
      </fieldset>
      <div class="sides">
        <${SideEditor} side="source" title="Source (the source of truth)" connections=${connections} />
        <${SideEditor} side="target" title="Target" connections=${connections} />
      </div>
      <fieldset>
        <legend>Schedule</legend>
        <${TextInput}
          at="/schedule/cron"
          label="Full sync schedule (cron)"
          hint="5 fields: minute hour day-of-month month day-of-week; empty: no scheduled run"
          empty=${null}
        />
        <${TextInput} at="/schedule/timezone" label="Time zone" required />
      </fieldset>
      <fieldset>
        <legend>Field mappings</legend>
        <${FieldMappings} />
      </fieldset>
      <fieldset>
        <legend>Relation mappings</legend>
        <${RelationMappings} mappingNames=${mappingNames} />
      </fieldset>
      <details open=${problems.some((p) => /^\/(matching|deletion|events)(\/|$)/.test(p.pointer)) || undefined}>
        <summary>Matching, deletion guard and events</summary>
        <fieldset>
          <legend>Matching rules</legend>
          <${MatchingSettings} />
        </fieldset>
        <fieldset>
          <legend>Deletion guard and events</legend>
          <${DeletionAndEventSettings} />
        </fieldset>
      </details>
      <div class="actions">
        ${saved === undefined ? null : html`<p role="status" class="saved">Saved as version ${saved}</p>`}
        <a class="button" href="#/mappings">Back to mappings</a>
        <button type="submit" class="primary" disabled=${busy}>${mapping ? 'Save' : 'Create'}</button>
      </div>
    </form>
  <//>`
}

/** @param {{ mappingId: string }} props */
export function MappingEditor({ mappingId }) {
  const { api, may } = useSession()
  const loaded = useLoad(async () => {
    const [mapping, connections, mappings] = await Promise.all([
      mappingId ? ok(api.GET('/api/v1/mappings/{id}', { params: { path: { id: mappingId } } })) : undefined,
      ok(api.GET('/api/v1/connections', { params: { query: { limit: 500, offset: 0 } } })),
      ok(api.GET('/api/v1/mappings', { params: { query: { limit: 500 } } })),
    ])
    return { mapping, connections: connections.items, mappingNames: mappings.items.map((m) => m.name) }
  }, [api, mappingId])
  const data = loaded.data
  return html`<section aria-labelledby="editor-title">
    <h1 id="editor-title">
      ${mappingId ? `Edit mapping${data?.mapping ? `: ${data.mapping.name}` : ''}` : 'New mapping'}
    </h1>
    <${ErrorNotice} error=${loaded.error} />
    ${
      !may('admin')
        ? html`<p>Only an admin edits mappings; <a href="#/mappings">back to the mappings</a>.</p>`
        : data
          ? html`<${EditorForm}
              mapping=${data.mapping}
              connections=${data.connections}
              mappingNames=${data.mappingNames.filter((name) => name !== data.mapping?.name)}
            />`
          : loaded.loading
            ? html`<p class="loading">Loading...</p>`
            : null
    }
  </section>`
}
