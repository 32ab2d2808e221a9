// Constraining relations: on one fact sheet, a relation holds only together with another of its
// relations (an Application supports a Business Capability for one of its Organizations).
// createRelationConstraint / deleteRelationConstraint with the arguments LeanIX's own scripts send
// (leanix-public/scripts importConstrainingRelations.py, fixConstrainingRelations.py); which
// relation may constrain which comes from the data model's `constrainingRelations`.
import {
  GraphQLID,
  GraphQLNonNull,
  GraphQLString,
  type GraphQLFieldConfigMap,
  type GraphQLInterfaceType,
} from 'graphql'
import type { RelationView } from '../meta-model.ts'
import type { FactSheetRecord, RelationConstraintRecord, RelationRecord } from '../workspace/records.ts'
import type { PathfinderContext } from './context.ts'
import { PathfinderErrors } from './graphql-errors.ts'
import { activeFactSheet, editFactSheet, mutating } from './mutation-support.ts'

const required = (type: typeof GraphQLID | typeof GraphQLString) => ({ type: new GraphQLNonNull(type) })

interface ConstraintArgs {
  factSheetId: string
  constrainedRelationType: string
  constrainedRelationTargetFactSheetId: string
  constrainingRelationType: string
  constrainingRelationTargetFactSheetId: string
}

function relationTo(ctx: PathfinderContext, fs: FactSheetRecord, name: string, targetId: string): RelationRecord {
  const view: RelationView | undefined = ctx.store.relationViews.get(fs.type)?.get(name)
  if (view === undefined) throw PathfinderErrors.constraintInvalid(fs.id, `${fs.type} has no relation ${name}.`)
  const relation = ctx.store
    .relationsAs(fs.id, view)
    .find((r) => (view.side === 'from' ? r.toId : r.fromId) === targetId)
  if (relation === undefined) {
    throw PathfinderErrors.constraintInvalid(fs.id, `Fact Sheet ${fs.id} has no ${name} relation to ${targetId}.`)
  }
  return relation
}

/** The constrained and constraining relation of one constraint, after checking the data model allows it. */
function resolveConstraint(ctx: PathfinderContext, args: ConstraintArgs) {
  const fs = activeFactSheet(ctx, args.factSheetId)
  const constrained = relationTo(ctx, fs, args.constrainedRelationType, args.constrainedRelationTargetFactSheetId)
  const constraining = relationTo(ctx, fs, args.constrainingRelationType, args.constrainingRelationTargetFactSheetId)
  const definition = ctx.store.metaModel.relations.find((d) => d.key === constrained.definitionKey)
  if (!definition?.constrainingRelations.includes(args.constrainingRelationType)) {
    throw PathfinderErrors.constraintInvalid(
      fs.id,
      `${args.constrainingRelationType} cannot constrain ${args.constrainedRelationType} (data model: ${definition?.constrainingRelations.join(', ') || 'none'}).`,
    )
  }
  const existing = [...ctx.store.relationConstraints.values()].find(
    (c) => c.constrainedRelationId === constrained.id && c.constrainingRelationId === constraining.id,
  )
  return { fs, constrained, constraining, existing }
}

export function constraintMutationFields(
  baseFactSheet: GraphQLInterfaceType,
): GraphQLFieldConfigMap<unknown, PathfinderContext> {
  const args = {
    factSheetId: required(GraphQLID),
    constrainedRelationType: required(GraphQLString),
    constrainedRelationTargetFactSheetId: required(GraphQLID),
    constrainingRelationType: required(GraphQLString),
    constrainingRelationTargetFactSheetId: required(GraphQLID),
  }
  return {
    createRelationConstraint: {
      type: baseFactSheet,
      args,
      resolve: (_s, a, ctx) =>
        mutating(ctx, () => {
          const { fs, constrained, constraining, existing } = resolveConstraint(ctx, a as unknown as ConstraintArgs)
          if (existing !== undefined) throw PathfinderErrors.constraintInvalid(fs.id, 'This constraint already exists.')
          const record: RelationConstraintRecord = {
            id: ctx.store.newId(),
            factSheetId: fs.id,
            constrainedRelationId: constrained.id,
            constrainingRelationId: constraining.id,
          }
          ctx.store.putRelationConstraint(ctx.tx, record)
          const touched = editFactSheet(ctx, fs)
          ctx.tx.emit({ kind: 'RELATION_UPDATED', relation: constrained })
          return touched
        }),
    },
    deleteRelationConstraint: {
      type: baseFactSheet,
      args,
      resolve: (_s, a, ctx) =>
        mutating(ctx, () => {
          const { fs, constrained, existing } = resolveConstraint(ctx, a as unknown as ConstraintArgs)
          if (existing === undefined) throw PathfinderErrors.constraintInvalid(fs.id, 'There is no such constraint.')
          ctx.store.deleteRelationConstraint(ctx.tx, existing.id)
          const touched = editFactSheet(ctx, fs)
          ctx.tx.emit({ kind: 'RELATION_UPDATED', relation: constrained })
          return touched
        }),
    },
  }
}

/** The relations that constrain `relation`, for the relation node's `constrainingRelations` field. */
export function constrainingRelationsOf(ctx: PathfinderContext, relation: RelationRecord): RelationRecord[] {
  return [...ctx.store.relationConstraints.values()]
    .filter((c) => c.constrainedRelationId === relation.id)
    .map((c) => ctx.store.relations.get(c.constrainingRelationId))
    .filter((r): r is RelationRecord => r !== undefined && r.status === 'ACTIVE')
}
