// Tag administration beyond createTag/createTagGroup: upsertTagGroup and upsertTag (create, or
// update the one with that id or that name), and deleteTag (leanix-public/scripts
// deleteTags/deleteTag.py: `deleteTag(id: "...") { id }`), which takes the tag off every fact
// sheet first. Argument names besides `id` are our reading; LeanIX's schema is not public.
import {
  GraphQLBoolean,
  GraphQLID,
  GraphQLList,
  GraphQLNonNull,
  GraphQLString,
  type GraphQLEnumType,
  type GraphQLFieldConfigMap,
  type GraphQLObjectType,
} from 'graphql'
import type { TagGroupRecord, TagRecord } from '../workspace/records.ts'
import type { PathfinderContext } from './context.ts'
import { PathfinderErrors } from './graphql-errors.ts'
import { mutating, touchFactSheet } from './mutation-support.ts'
import { TagGroupModeEnum, TagGroupType } from './schema-common.ts'

const str = { type: GraphQLString }

function given<T>(value: unknown, fallback: T): T {
  return value === undefined ? fallback : (value as T)
}

/** The fields a tag group is made of, as createTagGroup and upsertTagGroup take them. */
export function tagGroupArgs(factSheetTypeEnum: GraphQLEnumType) {
  return {
    name: { type: new GraphQLNonNull(GraphQLString) },
    shortName: str,
    description: str,
    mode: { type: TagGroupModeEnum },
    mandatory: { type: GraphQLBoolean },
    restrictToFactSheetTypes: { type: new GraphQLList(factSheetTypeEnum) },
  }
}

export function tagMutationFields(types: {
  factSheetTypeEnum: GraphQLEnumType
  tagType: GraphQLObjectType
}): GraphQLFieldConfigMap<unknown, PathfinderContext> {
  const tagView = (ctx: PathfinderContext, tag: TagRecord) => ({
    ...tag,
    tagGroup: tag.tagGroupId === null ? null : (ctx.store.tagGroups.get(tag.tagGroupId) ?? null),
  })
  return {
    upsertTagGroup: {
      type: TagGroupType,
      args: { id: { type: GraphQLID }, ...tagGroupArgs(types.factSheetTypeEnum) },
      resolve: (_s, args, ctx) =>
        mutating(
          ctx,
          () => {
            const name = (args.name as string).trim()
            if (name === '') throw PathfinderErrors.tagInvalid('A tag group needs a name.')
            const id = args.id as string | null | undefined
            const byId = id == null ? undefined : ctx.store.tagGroups.get(id)
            if (id != null && byId === undefined) throw PathfinderErrors.tagInvalid(`Tag group '${id}' does not exist.`)
            const byName = [...ctx.store.tagGroups.values()].find((g) => g.name === name)
            if (byId !== undefined && byName !== undefined && byName.id !== byId.id) {
              throw PathfinderErrors.tagInvalid(`A tag group named '${name}' already exists.`)
            }
            const current = byId ?? byName
            const group: TagGroupRecord = {
              id: current?.id ?? ctx.store.newId(),
              name,
              shortName: given(args.shortName, current?.shortName ?? null),
              description: given(args.description, current?.description ?? null),
              mode: given(args.mode, current?.mode ?? 'MULTIPLE') ?? 'MULTIPLE',
              mandatory: given(args.mandatory, current?.mandatory ?? false) === true,
              restrictToFactSheetTypes:
                given(args.restrictToFactSheetTypes, current?.restrictToFactSheetTypes ?? []) ?? [],
            }
            ctx.store.putTagGroup(ctx.tx, group)
            return group
          },
          true,
        ),
    },
    upsertTag: {
      type: types.tagType,
      args: {
        id: { type: GraphQLID },
        name: { type: new GraphQLNonNull(GraphQLString) },
        description: str,
        color: str,
        tagGroupId: { type: GraphQLID },
        status: str,
      },
      resolve: (_s, args, ctx) =>
        mutating(ctx, () => {
          const name = (args.name as string).trim()
          if (name === '') throw PathfinderErrors.tagInvalid('A tag needs a name.')
          const id = args.id as string | null | undefined
          const byId = id == null ? undefined : ctx.store.tags.get(id)
          if (id != null && byId === undefined) throw PathfinderErrors.tagNotFound(id)
          const groupId = given<string | null>(args.tagGroupId, byId?.tagGroupId ?? null) ?? null
          if (groupId !== null && !ctx.store.tagGroups.has(groupId)) {
            throw PathfinderErrors.tagInvalid(`Tag group '${groupId}' does not exist.`)
          }
          const byName = [...ctx.store.tags.values()].find((t) => t.name === name && t.tagGroupId === groupId)
          if (byId !== undefined && byName !== undefined && byName.id !== byId.id) {
            throw PathfinderErrors.tagInvalid(`A tag named '${name}' already exists in this tag group.`)
          }
          const current = byId ?? byName
          const status = given<string | null>(args.status, current?.status ?? 'ACTIVE') ?? 'ACTIVE'
          if (status !== 'ACTIVE' && status !== 'ARCHIVED')
            throw PathfinderErrors.tagInvalid('status must be ACTIVE or ARCHIVED')
          const tag: TagRecord = {
            id: current?.id ?? ctx.store.newId(),
            name,
            description: given(args.description, current?.description ?? null),
            color: given<string | null>(args.color, current?.color ?? '#9e9e9e') ?? '#9e9e9e',
            status,
            tagGroupId: groupId,
          }
          ctx.store.putTag(ctx.tx, tag)
          return tagView(ctx, tag)
        }),
    },
    deleteTag: {
      type: types.tagType,
      args: { id: { type: new GraphQLNonNull(GraphQLID) } },
      resolve: (_s, args, ctx) =>
        mutating(
          ctx,
          () => {
            const tag = ctx.store.tags.get(args.id as string)
            if (tag === undefined) throw PathfinderErrors.tagNotFound(args.id as string)
            for (const fs of [...ctx.store.factSheets.values()]) {
              if (!fs.tagIds.includes(tag.id)) continue
              const touched = { ...touchFactSheet(ctx, fs), tagIds: fs.tagIds.filter((t) => t !== tag.id) }
              ctx.store.putFactSheet(ctx.tx, touched)
              ctx.tx.emit({ kind: 'FACT_SHEET_TAG_REMOVED', factSheet: touched, tag })
            }
            const view = tagView(ctx, tag)
            ctx.store.deleteTag(ctx.tx, tag.id)
            return view
          },
          true,
        ),
    },
  }
}
