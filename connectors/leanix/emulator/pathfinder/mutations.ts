// Root mutation fields (docs/reference/leanix.md §3.3, §3.8). Each runs inside the request's transaction under a
// savepoint: a failing mutation leaves nothing behind, and the request decides afterwards
// whether the batch commits (see graphql-endpoint.ts).
import type { GraphQLEnumType, GraphQLInterfaceType } from 'graphql'
import {
  GraphQLBoolean,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLString,
  type GraphQLFieldConfigMap,
} from 'graphql'
import type { Patch } from '../workspace/fact-sheet-writes.ts'
import type {
  FactSheetRecord,
  SubscriptionRecord,
  SubscriptionType,
  TagGroupRecord,
  TagRecord,
} from '../workspace/records.ts'
import type { PathfinderContext } from './context.ts'
import { PathfinderErrors } from './graphql-errors.ts'
import { activeFactSheet, mutating, touchFactSheet } from './mutation-support.ts'
import { tagGroupArgs } from './tag-mutations.ts'
import {
  LongScalar,
  PatchInput,
  SubscriptionRoleLinkInputType,
  SubscriptionTypeEnum,
  TagGroupType,
  UserInputType,
} from './schema-common.ts'

function resolveUserId(ctx: PathfinderContext, user: { id?: string | null; email?: string | null }): string {
  if (user.id != null) {
    if (!ctx.store.users.has(user.id)) throw PathfinderErrors.userNotFound(user.id)
    return user.id
  }
  if (user.email != null) {
    const found = [...ctx.store.users.values()].find((u) => u.email.toLowerCase() === user.email?.toLowerCase())
    if (found === undefined) throw PathfinderErrors.userNotFound(user.email)
    return found.id
  }
  throw PathfinderErrors.userNotFound('(neither id nor email given)')
}

function roleLinks(
  ctx: PathfinderContext,
  fs: FactSheetRecord,
  type: SubscriptionType,
  roleIds: readonly string[] | null,
  roles: ReadonlyArray<{ id: string; comment?: string | null }> | null,
): Array<{ id: string; comment: string | null }> {
  const links = [
    ...(roleIds ?? []).map((id) => ({ id, comment: null })),
    ...(roles ?? []).map((r) => ({ id: r.id, comment: r.comment ?? null })),
  ]
  for (const link of links) {
    const role = ctx.store.subscriptionRoles.get(link.id)
    if (role === undefined) throw PathfinderErrors.tagInvalid(`Subscription role '${link.id}' does not exist.`)
    if (role.subscriptionType !== type) {
      throw PathfinderErrors.tagInvalid(
        `Subscription role '${role.name}' is for ${role.subscriptionType} subscriptions, not ${type}.`,
      )
    }
    if (role.restrictToFactSheetTypes.length > 0 && !role.restrictToFactSheetTypes.includes(fs.type)) {
      throw PathfinderErrors.tagInvalid(`Subscription role '${role.name}' is not allowed on ${fs.type} fact sheets.`)
    }
  }
  return links
}

function checkAccountable(
  ctx: PathfinderContext,
  fs: FactSheetRecord,
  type: SubscriptionType,
  exceptId: string | null,
): void {
  if (type !== 'ACCOUNTABLE') return
  if (ctx.store.subscriptionsOf(fs.id).some((s) => s.type === 'ACCOUNTABLE' && s.id !== exceptId)) {
    throw PathfinderErrors.accountableNotUnique(fs.id)
  }
}

export function mutationFields(types: {
  baseFactSheet: GraphQLInterfaceType
  factSheetTypeEnum: GraphQLEnumType
  subscriptionType: GraphQLObjectType
  tagType: GraphQLObjectType
}): GraphQLFieldConfigMap<unknown, PathfinderContext> {
  const baseFactSheetInput = new GraphQLInputObjectType({
    name: 'BaseFactSheetInput',
    fields: {
      name: { type: new GraphQLNonNull(GraphQLString) },
      type: { type: new GraphQLNonNull(types.factSheetTypeEnum) },
    },
  })
  const factSheetResult = new GraphQLObjectType({
    name: 'FactSheetResult',
    fields: { factSheet: { type: types.baseFactSheet } },
  })

  return {
    createFactSheet: {
      type: factSheetResult,
      args: {
        input: { type: new GraphQLNonNull(baseFactSheetInput) },
        patches: { type: new GraphQLList(PatchInput) },
        validateOnly: { type: GraphQLBoolean },
      },
      resolve: (_s, args, ctx) =>
        mutating(ctx, () => {
          const input = args.input as { name: string; type: string }
          const patches = ((args.patches as Array<Patch | null> | null) ?? []).filter((p): p is Patch => p !== null)
          return { factSheet: ctx.writer.create(ctx.tx, input, patches, args.validateOnly === true) }
        }),
    },
    updateFactSheet: {
      type: factSheetResult,
      args: {
        id: { type: new GraphQLNonNull(GraphQLID) },
        rev: { type: LongScalar },
        patches: { type: new GraphQLNonNull(new GraphQLList(PatchInput)) },
        comment: { type: GraphQLString },
        validateOnly: { type: GraphQLBoolean },
      },
      resolve: (_s, args, ctx) =>
        mutating(ctx, () => {
          const id = args.id as string
          const current = ctx.store.factSheets.get(id)
          if (current !== undefined && ctx.faults.takeRevisionClash()) {
            throw PathfinderErrors.revisionClash(id, current.rev + 1, (args.rev as number | null) ?? current.rev)
          }
          const patches = (args.patches as Array<Patch | null>).filter((p): p is Patch => p !== null)
          const factSheet = ctx.writer.update(ctx.tx, {
            id,
            rev: (args.rev as number | null | undefined) ?? null,
            patches,
            comment: (args.comment as string | null | undefined) ?? null,
            validateOnly: args.validateOnly === true,
            actor: ctx.user,
          })
          return { factSheet }
        }),
    },
    createSubscription: {
      type: types.subscriptionType,
      args: {
        factSheetId: { type: new GraphQLNonNull(GraphQLID) },
        user: { type: new GraphQLNonNull(UserInputType) },
        type: { type: new GraphQLNonNull(SubscriptionTypeEnum) },
        roleIds: { type: new GraphQLList(GraphQLID) },
        roles: { type: new GraphQLList(SubscriptionRoleLinkInputType) },
        factSheetRev: { type: LongScalar },
      },
      resolve: (_s, args, ctx) =>
        mutating(ctx, () => {
          const fs = activeFactSheet(ctx, args.factSheetId as string)
          const rev = args.factSheetRev as number | null | undefined
          if (rev != null && rev !== fs.rev) throw PathfinderErrors.revisionClash(fs.id, fs.rev, rev)
          const userId = resolveUserId(ctx, args.user as { id?: string; email?: string })
          const type = args.type as SubscriptionType
          if (ctx.store.subscriptionsOf(fs.id).some((s) => s.userId === userId)) {
            throw PathfinderErrors.tagInvalid(`User ${userId} is already subscribed to Fact Sheet ${fs.id}.`)
          }
          checkAccountable(ctx, fs, type, null)
          const subscription: SubscriptionRecord = {
            id: ctx.store.newId(),
            factSheetId: fs.id,
            userId,
            type,
            roles: roleLinks(
              ctx,
              fs,
              type,
              args.roleIds as string[] | null,
              args.roles as Array<{ id: string; comment?: string }> | null,
            ),
            createdAt: ctx.store.now().toISOString(),
          }
          ctx.store.putSubscription(ctx.tx, subscription)
          const touched = touchFactSheet(ctx, fs)
          ctx.tx.emit({ kind: 'SUBSCRIPTION_CREATED', subscription, factSheet: touched })
          return subscription
        }),
    },
    updateSubscription: {
      type: types.subscriptionType,
      args: {
        id: { type: new GraphQLNonNull(GraphQLID) },
        user: { type: new GraphQLNonNull(UserInputType) },
        type: { type: new GraphQLNonNull(SubscriptionTypeEnum) },
        roleIds: { type: new GraphQLList(GraphQLID) },
        roles: { type: new GraphQLList(SubscriptionRoleLinkInputType) },
      },
      resolve: (_s, args, ctx) =>
        mutating(ctx, () => {
          const current = ctx.store.subscriptions.get(args.id as string)
          if (current === undefined) throw PathfinderErrors.subscriptionNotFound(args.id as string)
          const fs = activeFactSheet(ctx, current.factSheetId)
          const type = args.type as SubscriptionType
          checkAccountable(ctx, fs, type, current.id)
          const subscription: SubscriptionRecord = {
            ...current,
            userId: resolveUserId(ctx, args.user as { id?: string; email?: string }),
            type,
            roles: roleLinks(
              ctx,
              fs,
              type,
              args.roleIds as string[] | null,
              args.roles as Array<{ id: string; comment?: string }> | null,
            ),
          }
          ctx.store.putSubscription(ctx.tx, subscription)
          const touched = touchFactSheet(ctx, fs)
          ctx.tx.emit({ kind: 'SUBSCRIPTION_UPDATED', subscription, factSheet: touched })
          return subscription
        }),
    },
    deleteSubscription: {
      type: types.baseFactSheet,
      args: { id: { type: new GraphQLNonNull(GraphQLID) } },
      resolve: (_s, args, ctx) =>
        mutating(ctx, () => {
          const current = ctx.store.subscriptions.get(args.id as string)
          if (current === undefined) throw PathfinderErrors.subscriptionNotFound(args.id as string)
          const fs = activeFactSheet(ctx, current.factSheetId)
          ctx.store.deleteSubscription(ctx.tx, current.id)
          const touched = touchFactSheet(ctx, fs)
          ctx.tx.emit({ kind: 'SUBSCRIPTION_DELETED', subscription: current, factSheet: touched })
          return touched
        }),
    },
    createTag: {
      type: types.tagType,
      args: {
        name: { type: new GraphQLNonNull(GraphQLString) },
        description: { type: GraphQLString },
        color: { type: GraphQLString },
        tagGroupId: { type: GraphQLID },
      },
      resolve: (_s, args, ctx) =>
        mutating(ctx, () => {
          const groupId = (args.tagGroupId as string | null | undefined) ?? null
          if (groupId !== null && !ctx.store.tagGroups.has(groupId)) {
            throw PathfinderErrors.tagInvalid(`Tag group '${groupId}' does not exist.`)
          }
          const name = args.name as string
          if ([...ctx.store.tags.values()].some((t) => t.name === name && t.tagGroupId === groupId)) {
            throw PathfinderErrors.tagInvalid(`A tag named '${name}' already exists in this tag group.`)
          }
          const tag: TagRecord = {
            id: ctx.store.newId(),
            name,
            description: (args.description as string | null | undefined) ?? null,
            color: (args.color as string | null | undefined) ?? '#9e9e9e',
            status: 'ACTIVE',
            tagGroupId: groupId,
          }
          ctx.store.putTag(ctx.tx, tag)
          return { ...tag, tagGroup: groupId === null ? null : ctx.store.tagGroups.get(groupId) }
        }),
    },
    createTagGroup: {
      type: TagGroupType,
      args: tagGroupArgs(types.factSheetTypeEnum),
      resolve: (_s, args, ctx) =>
        mutating(
          ctx,
          () => {
            const name = args.name as string
            if ([...ctx.store.tagGroups.values()].some((g) => g.name === name)) {
              throw PathfinderErrors.tagInvalid(`A tag group named '${name}' already exists.`)
            }
            const group: TagGroupRecord = {
              id: ctx.store.newId(),
              name,
              shortName: (args.shortName as string | null | undefined) ?? null,
              description: (args.description as string | null | undefined) ?? null,
              mode: (args.mode as 'SINGLE' | 'MULTIPLE' | null | undefined) ?? 'MULTIPLE',
              mandatory: args.mandatory === true,
              restrictToFactSheetTypes: (args.restrictToFactSheetTypes as string[] | null | undefined) ?? [],
            }
            ctx.store.putTagGroup(ctx.tx, group)
            return group
          },
          true,
        ),
    },
  }
}
