// createFactSheet / updateFactSheet: the patch engine (docs/reference/leanix.md §3.3–§3.6). A mutation works on
// a draft of the fact sheet, writes relations and tags into the store under the request's
// transaction, checks `rev`, and emits the events webhooks turn into payloads.
import type { RelationView } from '../meta-model.ts'
import { PathfinderErrors } from '../pathfinder/graphql-errors.ts'
import { FieldValueError, parseExternalId, parseFieldValue, parseJson, parseRelationValue } from './field-values.ts'
import {
  LX_STATES,
  type ExternalIdValue,
  type FactSheetRecord,
  type LifecyclePhase,
  type LifecycleValue,
  type LxState,
  type RelationRecord,
} from './records.ts'
import type { WorkspaceStore } from './store.ts'
import type { Transaction } from './transaction.ts'

const LEGACY_QUALITY_SEAL: Readonly<Record<string, LxState>> = {
  approve: 'APPROVED',
  break: 'BROKEN_QUALITY_SEAL',
  reject: 'REJECTED',
  APPROVED: 'APPROVED',
  BROKEN_QUALITY_SEAL: 'BROKEN_QUALITY_SEAL',
  REJECTED: 'REJECTED',
  DRAFT: 'DRAFT',
}

export interface Patch {
  op: 'add' | 'replace' | 'remove'
  path: string
  value?: string | null
}

interface Draft {
  record: FactSheetRecord
  fields: Record<string, unknown>
  tagIds: string[]
  naFields: string[]
  /** top-level paths whose value changed, for FACT_SHEET_FIELD_UPDATED events */
  changed: Map<string, { oldValue: unknown; newValue: unknown }>
  targetStatus: 'ACTIVE' | 'ARCHIVED' | null
  relationsTouched: boolean
}

function draftOf(record: FactSheetRecord): Draft {
  return {
    record,
    fields: { ...record.fields },
    tagIds: [...record.tagIds],
    naFields: [...record.naFields],
    changed: new Map(),
    targetStatus: null,
    relationsTouched: false,
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
}

export class FactSheetWriter {
  private readonly store: WorkspaceStore

  constructor(store: WorkspaceStore) {
    this.store = store
  }

  create(
    tx: Transaction,
    input: { name: string; type: string },
    patches: readonly Patch[],
    validateOnly: boolean,
  ): FactSheetRecord {
    const definition = this.store.metaModel.factSheets[input.type]
    if (definition === undefined) throw PathfinderErrors.invalidPath('/type', input.type)
    if (input.name.trim() === '') throw PathfinderErrors.invalidValue('', '/name', 'a fact sheet needs a name')
    const savepoint = tx.savepoint()
    const now = this.store.now().toISOString()
    const record: FactSheetRecord = {
      id: this.store.newId(),
      type: input.type,
      name: input.name,
      rev: 1,
      status: 'ACTIVE',
      description: null,
      category: null,
      lxState: 'DRAFT',
      createdAt: now,
      updatedAt: now,
      fields: {},
      tagIds: [],
      naFields: [],
      archivedAt: null,
    }
    this.store.putFactSheet(tx, record)
    const draft = draftOf(record)
    for (const patch of patches) this.applyPatch(tx, draft, patch)
    const created = this.finish(tx, draft, { bumpRev: false, comment: null, created: true })
    if (validateOnly) tx.rollbackTo(savepoint)
    return created
  }

  update(
    tx: Transaction,
    args: {
      id: string
      rev: number | null
      patches: readonly Patch[]
      comment: string | null
      validateOnly: boolean
      /** who edits: a MEMBER who is not RESPONSIBLE or ACCOUNTABLE breaks an approved quality seal */
      actor?: { id: string; role: string }
    },
  ): FactSheetRecord {
    const current = this.store.factSheets.get(args.id)
    if (current === undefined) throw PathfinderErrors.factSheetNotFound(args.id)
    if (args.rev !== null && args.rev !== current.rev) {
      throw PathfinderErrors.revisionClash(current.id, current.rev, args.rev)
    }
    const savepoint = tx.savepoint()
    const draft = draftOf(current)
    for (const patch of args.patches) this.applyPatch(tx, draft, patch)
    if (current.status === 'ARCHIVED' && draft.targetStatus !== 'ACTIVE' && this.changesBesidesStatus(draft)) {
      throw PathfinderErrors.archivedFactSheet(current.id)
    }
    if (args.actor !== undefined && this.editBreaksSeal(draft, args.actor)) {
      this.setTop(draft, '/lxState', draft.record.lxState, 'BROKEN_QUALITY_SEAL', () => {
        draft.record = { ...draft.record, lxState: 'BROKEN_QUALITY_SEAL' }
      })
    }
    const updated = this.finish(tx, draft, { bumpRev: true, comment: args.comment, created: false })
    if (args.validateOnly) tx.rollbackTo(savepoint)
    return updated
  }

  private changesBesidesStatus(draft: Draft): boolean {
    return draft.relationsTouched || [...draft.changed.keys()].some((path) => path !== '/status')
  }

  /**
   * The quality seal breaks when a MEMBER who is neither RESPONSIBLE nor ACCOUNTABLE for the fact
   * sheet changes its attributes, relations or resources; admins and the fact sheet's owners keep
   * it (https://help.sap.com/docs/leanix/ea/quality-seal, "Breaking of Quality Seal"). Subscription changes never break it.
   */
  sealBreaksFor(factSheet: FactSheetRecord, actor: { id: string; role: string }): boolean {
    if (factSheet.lxState !== 'APPROVED' || actor.role !== 'MEMBER') return false
    return !this.store
      .subscriptionsOf(factSheet.id)
      .some((s) => s.userId === actor.id && (s.type === 'RESPONSIBLE' || s.type === 'ACCOUNTABLE'))
  }

  private editBreaksSeal(draft: Draft, actor: { id: string; role: string }): boolean {
    const edited = draft.relationsTouched || [...draft.changed.keys()].some((p) => p !== '/lxState' && p !== '/status')
    return edited && !draft.changed.has('/lxState') && this.sealBreaksFor(draft.record, actor)
  }

  // ---- one patch -----------------------------------------------------------------------------

  private applyPatch(tx: Transaction, draft: Draft, patch: Patch): void {
    const type = draft.record.type
    const segments = patch.path.split('/')
    if (segments[0] !== '' || segments.length < 2) throw PathfinderErrors.invalidPath(patch.path, type)
    const head = segments[1] ?? ''
    const view = this.store.relationViews.get(type)?.get(head)
    if (view !== undefined) {
      if (segments.length !== 3 || segments[2] === '') throw PathfinderErrors.invalidPath(patch.path, type)
      this.applyRelationPatch(tx, draft, view, segments[2] ?? '', patch)
      draft.relationsTouched = true
      return
    }
    const definition = this.store.metaModel.factSheets[type]?.fields[head]
    if (definition?.type === 'LIFECYCLE' && segments.length === 3) {
      this.applyLifecyclePhasePatch(draft, head, segments[2] ?? '', patch, definition.values ?? [])
      return
    }
    if (segments.length !== 2) throw PathfinderErrors.invalidPath(patch.path, type)
    try {
      this.applyFieldPatch(tx, draft, head, patch)
    } catch (error) {
      if (error instanceof FieldValueError)
        throw PathfinderErrors.invalidValue(draft.record.id, patch.path, error.message)
      throw error
    }
  }

  /**
   * `/lifecycle/<phase>` sets (add, replace) or clears (remove) one phase's start date and keeps
   * the others, where `/lifecycle` itself replaces them all (issue 17 point 6;
   * https://help.sap.com/docs/leanix/ea/updating-fact-sheet documents the whole-field form).
   */
  private applyLifecyclePhasePatch(
    draft: Draft,
    field: string,
    phase: string,
    patch: Patch,
    phases: readonly string[],
  ): void {
    const id = draft.record.id
    if (!phases.includes(phase)) throw PathfinderErrors.invalidPath(patch.path, draft.record.type)
    const current = (draft.fields[field] as LifecycleValue | null | undefined)?.phases ?? []
    const others = current.filter((p) => p.phase !== phase)
    let next: LifecyclePhase[]
    if (patch.op === 'remove') next = others
    else {
      const date = patch.value ?? ''
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
        throw PathfinderErrors.invalidValue(id, patch.path, `"${date}" is not a date (YYYY-MM-DD)`)
      }
      next = [...others, { phase, startDate: date }]
    }
    next.sort((a, b) => phases.indexOf(a.phase) - phases.indexOf(b.phase))
    const value = next.length === 0 ? null : { phases: next }
    this.setTop(draft, `/${field}`, draft.fields[field], value, () => (draft.fields[field] = value))
  }

  private setTop(draft: Draft, path: string, oldValue: unknown, newValue: unknown, assign: () => void): void {
    if (sameValue(oldValue, newValue)) return
    assign()
    const earlier = draft.changed.get(path)
    draft.changed.set(path, { oldValue: earlier === undefined ? oldValue : earlier.oldValue, newValue })
  }

  private applyFieldPatch(tx: Transaction, draft: Draft, head: string, patch: Patch): void {
    const type = draft.record.type
    const path = `/${head}`
    const value = patch.value ?? null
    const removing = patch.op === 'remove'
    const text = (): string => {
      if (value === null) throw new FieldValueError(`op "${patch.op}" needs a value`)
      return value
    }
    const record = draft.record
    switch (head) {
      case 'name': {
        // the name is only ever replaced; LeanIX refuses add and remove on it (issue 17 point 6)
        if (patch.op !== 'replace') throw PathfinderErrors.operationNotAllowed(record.id, path, patch.op)
        if (text().trim() === '') throw new FieldValueError('a fact sheet needs a name')
        this.setTop(draft, path, record.name, text(), () => (draft.record = { ...draft.record, name: text() }))
        return
      }
      case 'description': {
        const next = removing ? null : text()
        this.setTop(
          draft,
          path,
          record.description,
          next,
          () => (draft.record = { ...draft.record, description: next }),
        )
        return
      }
      case 'category': {
        const next = removing ? null : text()
        const categories = this.store.metaModel.factSheets[type]?.categories ?? []
        if (next !== null && !categories.includes(next)) {
          throw new FieldValueError(`"${next}" is not a subtype of ${type} (${categories.join(', ') || 'none'})`)
        }
        this.setTop(draft, path, record.category, next, () => (draft.record = { ...draft.record, category: next }))
        return
      }
      case 'lxState': {
        if (removing || !LX_STATES.includes(text() as LxState)) {
          throw new FieldValueError(`lxState must be one of ${LX_STATES.join(', ')}`)
        }
        const next = text() as LxState
        this.setTop(draft, path, record.lxState, next, () => (draft.record = { ...draft.record, lxState: next }))
        return
      }
      case 'qualitySeal': {
        // the legacy path LeanIX still answers: approve / break / reject (and the lxState keys)
        const next = removing ? undefined : LEGACY_QUALITY_SEAL[text()]
        if (next === undefined) {
          throw new FieldValueError(`qualitySeal takes one of ${Object.keys(LEGACY_QUALITY_SEAL).join(', ')}`)
        }
        this.setTop(draft, '/lxState', record.lxState, next, () => (draft.record = { ...draft.record, lxState: next }))
        return
      }
      case 'status': {
        const next = removing ? '' : text()
        if (next !== 'ACTIVE' && next !== 'ARCHIVED') throw new FieldValueError('status must be ACTIVE or ARCHIVED')
        draft.targetStatus = next
        if (next !== record.status) draft.changed.set(path, { oldValue: record.status, newValue: next })
        return
      }
      case 'naFields': {
        const list = removing && value === null ? [] : parseJson(text())
        if (!Array.isArray(list) || list.some((v) => typeof v !== 'string')) {
          throw new FieldValueError('naFields takes a JSON array of field or relation names')
        }
        const names = list as string[]
        const next =
          patch.op === 'replace'
            ? [...new Set(names)]
            : patch.op === 'add'
              ? [...new Set([...draft.naFields, ...names])]
              : draft.naFields.filter((n) => !(value === null || names.includes(n)))
        this.setTop(draft, path, draft.naFields, next, () => (draft.naFields = next))
        return
      }
      case 'tags':
        this.applyTagPatch(tx, draft, patch)
        return
    }
    const definition = this.store.metaModel.factSheets[type]?.fields[head]
    if (definition === undefined) throw PathfinderErrors.invalidPath(patch.path, type)
    if (removing) {
      this.setTop(draft, path, draft.fields[head], null, () => (draft.fields[head] = null))
      return
    }
    if (definition.type === 'EXTERNAL_ID') {
      const parsed = parseExternalId(text())
      this.checkExternalId(draft, head, parsed.value, parsed.forceWrite)
      this.setTop(draft, path, draft.fields[head], parsed.value, () => (draft.fields[head] = parsed.value))
      return
    }
    const next = parseFieldValue(text(), definition)
    this.setTop(draft, path, draft.fields[head], next, () => (draft.fields[head] = next))
  }

  private checkExternalId(draft: Draft, field: string, value: ExternalIdValue, forceWrite: boolean): void {
    const id = draft.record.id
    const definition = this.store.metaModel.externalIdFields[field]
    if (definition?.readOnly === true && !forceWrite) throw PathfinderErrors.readOnlyField(id, `/${field}`)
    if (definition?.uniqueFactSheet !== true) return
    for (const holderId of this.store.factSheetIdsByExternalId(field, value.externalId)) {
      const holder = this.store.factSheets.get(holderId)
      if (holderId !== id && holder?.status === 'ACTIVE') {
        throw PathfinderErrors.externalIdNotUnique(id, `/${field}`, value.externalId, holderId)
      }
    }
  }

  // ---- tags ----------------------------------------------------------------------------------

  private applyTagPatch(tx: Transaction, draft: Draft, patch: Patch): void {
    const parsed = patch.value === null || patch.value === undefined ? [] : parseJson(patch.value)
    if (!Array.isArray(parsed)) {
      throw new FieldValueError('tags take a JSON array of {"tagId":..} or {"tagName":..,"tagGroupName":..}')
    }
    const ids = parsed.map((entry: unknown) => this.resolveTag(tx, entry, patch.op !== 'remove'))
    const before = draft.tagIds
    let next: string[]
    if (patch.op === 'replace') next = [...new Set(ids.filter((id): id is string => id !== null))]
    else if (patch.op === 'add') next = [...new Set([...before, ...ids.filter((id): id is string => id !== null)])]
    else next = patch.value === null || patch.value === undefined ? [] : before.filter((id) => !ids.includes(id))
    next = this.enforceSingleModeGroups(before, next)
    this.setTop(draft, '/tags', before, next, () => (draft.tagIds = next))
  }

  /** A tag group in SINGLE mode keeps only the tag added last. */
  private enforceSingleModeGroups(before: readonly string[], next: string[]): string[] {
    const keptPerGroup = new Map<string, string>()
    for (const id of next) {
      const groupId = this.store.tags.get(id)?.tagGroupId
      const group = groupId ? this.store.tagGroups.get(groupId) : undefined
      if (group?.mode !== 'SINGLE') continue
      const kept = keptPerGroup.get(group.id)
      if (kept === undefined || before.includes(kept)) keptPerGroup.set(group.id, id)
    }
    return next.filter((id) => {
      const groupId = this.store.tags.get(id)?.tagGroupId
      return groupId == null || !keptPerGroup.has(groupId) || keptPerGroup.get(groupId) === id
    })
  }

  /** Tag id for {tagId} or {tagName, tagGroupName}; a name not known yet is created when adding. */
  private resolveTag(tx: Transaction, entry: unknown, createMissing: boolean): string | null {
    if (typeof entry !== 'object' || entry === null) throw new FieldValueError('each tag must be an object')
    const e = entry as Record<string, unknown>
    if (typeof e.tagId === 'string') {
      if (!this.store.tags.has(e.tagId)) throw new FieldValueError(`tag "${e.tagId}" does not exist`)
      return e.tagId
    }
    if (typeof e.tagName !== 'string' || e.tagName === '') throw new FieldValueError('a tag needs "tagId" or "tagName"')
    const groupName = typeof e.tagGroupName === 'string' && e.tagGroupName !== '' ? e.tagGroupName : null
    let groupId: string | null = null
    if (groupName !== null) {
      const group = [...this.store.tagGroups.values()].find((g) => g.name === groupName)
      if (group === undefined) throw new FieldValueError(`tag group "${groupName}" does not exist`)
      groupId = group.id
    }
    const existing = [...this.store.tags.values()].find((t) => t.name === e.tagName && t.tagGroupId === groupId)
    if (existing !== undefined) return existing.id
    if (!createMissing) return null
    const tag = {
      id: this.store.newId(),
      name: e.tagName,
      description: null,
      color: '#9e9e9e',
      status: 'ACTIVE' as const,
      tagGroupId: groupId,
    }
    this.store.putTag(tx, tag)
    return tag.id
  }

  // ---- relations -----------------------------------------------------------------------------

  private applyRelationPatch(tx: Transaction, draft: Draft, view: RelationView, key: string, patch: Patch): void {
    const id = draft.record.id
    const objectPath = patch.path
    const existing = key.startsWith('new_') ? undefined : this.store.relations.get(key)
    if (patch.op === 'remove') {
      if (existing === undefined || !this.belongsTo(existing, id, view))
        throw PathfinderErrors.relationNotFound(id, objectPath)
      this.store.deleteRelation(tx, existing.id)
      for (const c of this.store.constraintsOfRelation(existing.id)) this.store.deleteRelationConstraint(tx, c.id)
      tx.emit({ kind: 'RELATION_ARCHIVED', relation: { ...existing, status: 'ARCHIVED' } })
      return
    }
    if (!key.startsWith('new_') && (existing === undefined || !this.belongsTo(existing, id, view))) {
      throw PathfinderErrors.relationNotFound(id, objectPath)
    }
    let parsed: ReturnType<typeof parseRelationValue>
    try {
      parsed = parseRelationValue(patch.value ?? '', view.definition.fields)
    } catch (error) {
      if (error instanceof FieldValueError) throw PathfinderErrors.invalidValue(id, objectPath, error.message)
      throw error
    }
    const otherId = parsed.factSheetId ?? (existing === undefined ? null : this.otherEnd(existing, id))
    if (otherId === null) throw PathfinderErrors.invalidValue(id, objectPath, '"factSheetId" is required')
    const other = this.store.factSheets.get(otherId)
    if (other === undefined || other.status !== 'ACTIVE') {
      throw PathfinderErrors.relationTargetInvalid(
        id,
        objectPath,
        `Fact Sheet ${otherId} does not exist or is archived.`,
      )
    }
    if (other.type !== view.targetType) {
      throw PathfinderErrors.relationTargetInvalid(
        id,
        objectPath,
        `${view.name} links to ${view.targetType}, but ${otherId} is a ${other.type}.`,
      )
    }
    if (otherId === id)
      throw PathfinderErrors.relationTargetInvalid(id, objectPath, 'A fact sheet cannot relate to itself.')
    const fromId = view.side === 'from' ? id : otherId
    const toId = view.side === 'from' ? otherId : id
    if (view.definition.from.name === 'relToParent' && this.wouldCycle(fromId, toId, view)) {
      throw PathfinderErrors.relationTargetInvalid(id, objectPath, 'The hierarchy would contain a cycle.')
    }
    const siblings = this.store
      .relationsOf(fromId)
      .filter((r) => r.status === 'ACTIVE' && r.definitionKey === view.definition.key && r.id !== existing?.id)
    if (siblings.some((r) => r.fromId === fromId && r.toId === toId))
      throw PathfinderErrors.relationNotUnique(id, objectPath)
    const fromCount = siblings.filter((r) => r.fromId === fromId).length
    const toCount = this.store
      .relationsOf(toId)
      .filter(
        (r) =>
          r.status === 'ACTIVE' && r.definitionKey === view.definition.key && r.toId === toId && r.id !== existing?.id,
      ).length
    if (
      (view.definition.from.multiplicity === 'SINGLE' && fromCount > 0) ||
      (view.definition.to.multiplicity === 'SINGLE' && toCount > 0)
    ) {
      throw PathfinderErrors.relationCardinality(id, objectPath, view.name)
    }
    const relation: RelationRecord = {
      id: existing?.id ?? this.store.newId(),
      definitionKey: view.definition.key,
      fromId,
      toId,
      description: parsed.description === undefined ? (existing?.description ?? null) : parsed.description,
      activeFrom: parsed.activeFrom === undefined ? (existing?.activeFrom ?? null) : parsed.activeFrom,
      activeUntil: parsed.activeUntil === undefined ? (existing?.activeUntil ?? null) : parsed.activeUntil,
      fields:
        patch.op === 'replace' && existing !== undefined ? parsed.fields : { ...existing?.fields, ...parsed.fields },
      status: 'ACTIVE',
      archivedWith: null,
    }
    if (existing !== undefined && (existing.fromId !== fromId || existing.toId !== toId)) {
      // retargeting: LeanIX keeps the relation id, so do we
      this.store.deleteRelation(tx, existing.id)
    }
    this.store.putRelation(tx, relation)
    tx.emit({ kind: existing === undefined ? 'RELATION_CREATED' : 'RELATION_UPDATED', relation })
  }

  private belongsTo(relation: RelationRecord, id: string, view: RelationView): boolean {
    return (
      relation.status === 'ACTIVE' &&
      relation.definitionKey === view.definition.key &&
      (view.side === 'from' ? relation.fromId === id : relation.toId === id)
    )
  }

  private otherEnd(relation: RelationRecord, id: string): string {
    return relation.fromId === id ? relation.toId : relation.fromId
  }

  private wouldCycle(childId: string, parentId: string, view: RelationView): boolean {
    let cursor: string | undefined = parentId
    const seen = new Set<string>()
    while (cursor !== undefined && !seen.has(cursor)) {
      if (cursor === childId) return true
      seen.add(cursor)
      const up: RelationRecord | undefined = this.store
        .relationsOf(cursor)
        .find((r) => r.status === 'ACTIVE' && r.definitionKey === view.definition.key && r.fromId === cursor)
      cursor = up?.toId
    }
    return false
  }

  // ---- finishing: rev, archive/recover, events -----------------------------------------------

  private finish(
    tx: Transaction,
    draft: Draft,
    options: { bumpRev: boolean; comment: string | null; created: boolean },
  ): FactSheetRecord {
    const before = draft.record
    const now = this.store.now().toISOString()
    const statusChange = draft.targetStatus !== null && draft.targetStatus !== before.status ? draft.targetStatus : null
    let fields = draft.fields
    if (statusChange === 'ARCHIVED') fields = this.clearUniqueExternalIds(fields)
    const record: FactSheetRecord = {
      ...before,
      fields,
      tagIds: draft.tagIds,
      naFields: draft.naFields,
      rev: options.bumpRev ? before.rev + 1 : before.rev,
      updatedAt: now,
      status: statusChange ?? before.status,
      archivedAt: statusChange === 'ARCHIVED' ? now : statusChange === 'ACTIVE' ? null : before.archivedAt,
    }
    this.store.putFactSheet(tx, record)
    if (options.created) {
      tx.emit({ kind: 'FACT_SHEET_CREATED', factSheet: record })
      return record
    }
    if (statusChange === 'ARCHIVED') {
      const affected = this.archiveRelations(tx, record)
      tx.emit({ kind: 'FACT_SHEET_ARCHIVED', factSheet: record, comment: options.comment, affected })
      return record
    }
    if (statusChange === 'ACTIVE') {
      this.recoverRelations(tx, record)
      tx.emit({ kind: 'FACT_SHEET_RECOVERED', factSheet: record, comment: options.comment })
      tx.emit({ kind: 'FACT_SHEET_CREATED', factSheet: record })
      return record
    }
    this.emitUpdateEvents(tx, draft, before, record)
    return record
  }

  private emitUpdateEvents(tx: Transaction, draft: Draft, before: FactSheetRecord, record: FactSheetRecord): void {
    tx.emit({ kind: 'FACT_SHEET_UPDATED', factSheet: record })
    for (const [path, change] of draft.changed) {
      if (path === '/tags') {
        for (const id of record.tagIds.filter((t) => !before.tagIds.includes(t))) {
          const tag = this.store.tags.get(id)
          if (tag) tx.emit({ kind: 'FACT_SHEET_TAG_ADDED', factSheet: record, tag })
        }
        for (const id of before.tagIds.filter((t) => !record.tagIds.includes(t))) {
          const tag = this.store.tags.get(id)
          if (tag) tx.emit({ kind: 'FACT_SHEET_TAG_REMOVED', factSheet: record, tag })
        }
        continue
      }
      tx.emit({ kind: 'FACT_SHEET_FIELD_UPDATED', factSheet: record, path, ...change })
    }
  }

  private clearUniqueExternalIds(fields: Record<string, unknown>): Record<string, unknown> {
    const next = { ...fields }
    for (const [name, definition] of Object.entries(this.store.metaModel.externalIdFields)) {
      if (definition.uniqueFactSheet && next[name] != null) next[name] = null
    }
    return next
  }

  /** Archiving a fact sheet archives its relations; returns the fact sheets at their other ends. */
  private archiveRelations(tx: Transaction, record: FactSheetRecord): FactSheetRecord[] {
    const affected = new Map<string, FactSheetRecord>()
    for (const relation of this.store.relationsOf(record.id)) {
      if (relation.status !== 'ACTIVE') continue
      const archived = { ...relation, status: 'ARCHIVED' as const, archivedWith: record.id }
      this.store.putRelation(tx, archived)
      tx.emit({ kind: 'RELATION_ARCHIVED', relation: archived })
      const other = this.store.factSheets.get(this.otherEnd(relation, record.id))
      if (other) affected.set(other.id, other)
    }
    return [...affected.values()]
  }

  private recoverRelations(tx: Transaction, record: FactSheetRecord): void {
    for (const relation of this.store.relationsOf(record.id)) {
      if (relation.status !== 'ARCHIVED' || relation.archivedWith !== record.id) continue
      if (this.store.factSheets.get(this.otherEnd(relation, record.id))?.status !== 'ACTIVE') continue
      const recovered = { ...relation, status: 'ACTIVE' as const, archivedWith: null }
      this.store.putRelation(tx, recovered)
      tx.emit({ kind: 'RELATION_CREATED', relation: recovered })
    }
  }
}
