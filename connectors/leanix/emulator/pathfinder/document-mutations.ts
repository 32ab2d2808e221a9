// Documents, the resource links on a fact sheet (a ServiceNow record's URL, a wiki page):
// createDocument / updateDocument / deleteDocument. Argument names as LeanIX's own scripts send
// them (leanix-public/scripts createDocuments.py: factSheetId, name, url, description,
// validateOnly; deleteDocuments.py: deleteDocument(id)); the fields those of the Document model
// (leanix-sdk-java models/Document.java). A change bumps the fact sheet's rev.
import { GraphQLBoolean, GraphQLID, GraphQLNonNull, GraphQLString, type GraphQLFieldConfigMap } from 'graphql'
import type { DocumentRecord } from '../workspace/records.ts'
import type { PathfinderContext } from './context.ts'
import { PathfinderErrors } from './graphql-errors.ts'
import { activeFactSheet, editFactSheet, mutating } from './mutation-support.ts'
import { DocumentType } from './schema-common.ts'

const str = { type: GraphQLString }

const DOCUMENT_ARGS = {
  name: str,
  url: str,
  description: str,
  documentType: str,
  metadata: str,
  validateOnly: { type: GraphQLBoolean },
}

function optional(value: unknown): string | null | undefined {
  return value === undefined ? undefined : ((value as string | null) ?? null)
}

function checkUrl(url: string | null | undefined): void {
  if (url == null || url === '') return
  if (!URL.canParse(url)) throw PathfinderErrors.documentInvalid(`'${url}' is not a URL.`)
}

/** validateOnly runs every check, then takes the change back. */
function maybeValidateOnly<T>(ctx: PathfinderContext, validateOnly: unknown, run: () => T): T {
  const savepoint = ctx.tx.savepoint()
  const result = run()
  if (validateOnly === true) ctx.tx.rollbackTo(savepoint)
  return result
}

export function documentMutationFields(): GraphQLFieldConfigMap<unknown, PathfinderContext> {
  return {
    createDocument: {
      type: DocumentType,
      args: {
        factSheetId: { type: new GraphQLNonNull(GraphQLID) },
        ...DOCUMENT_ARGS,
        name: { type: new GraphQLNonNull(GraphQLString) },
        origin: str,
      },
      resolve: (_s, args, ctx) =>
        mutating(ctx, () =>
          maybeValidateOnly(ctx, args.validateOnly, () => {
            const fs = activeFactSheet(ctx, args.factSheetId as string)
            const name = (args.name as string).trim()
            if (name === '') throw PathfinderErrors.documentInvalid('A document needs a name.')
            checkUrl(args.url as string | null | undefined)
            const document: DocumentRecord = {
              id: ctx.store.newId(),
              factSheetId: fs.id,
              name,
              url: optional(args.url) ?? null,
              description: optional(args.description) ?? null,
              documentType: optional(args.documentType) ?? null,
              origin: optional(args.origin) ?? null,
              metadata: optional(args.metadata) ?? null,
              createdAt: ctx.store.now().toISOString(),
            }
            ctx.store.putDocument(ctx.tx, document)
            ctx.tx.emit({ kind: 'DOCUMENT_CREATED', document, factSheet: editFactSheet(ctx, fs) })
            return document
          }),
        ),
    },
    updateDocument: {
      type: DocumentType,
      args: { id: { type: new GraphQLNonNull(GraphQLID) }, ...DOCUMENT_ARGS },
      resolve: (_s, args, ctx) =>
        mutating(ctx, () =>
          maybeValidateOnly(ctx, args.validateOnly, () => {
            const current = ctx.store.documents.get(args.id as string)
            if (current === undefined) throw PathfinderErrors.documentNotFound(args.id as string)
            const fs = activeFactSheet(ctx, current.factSheetId)
            const name = optional(args.name)
            if (name === null || (typeof name === 'string' && name.trim() === '')) {
              throw PathfinderErrors.documentInvalid('A document needs a name.')
            }
            checkUrl(args.url as string | null | undefined)
            const document: DocumentRecord = {
              ...current,
              name: name ?? current.name,
              url: optional(args.url) === undefined ? current.url : (optional(args.url) ?? null),
              description:
                optional(args.description) === undefined ? current.description : (optional(args.description) ?? null),
              documentType:
                optional(args.documentType) === undefined
                  ? current.documentType
                  : (optional(args.documentType) ?? null),
              metadata: optional(args.metadata) === undefined ? current.metadata : (optional(args.metadata) ?? null),
            }
            ctx.store.putDocument(ctx.tx, document)
            ctx.tx.emit({ kind: 'DOCUMENT_UPDATED', document, factSheet: editFactSheet(ctx, fs) })
            return document
          }),
        ),
    },
    deleteDocument: {
      type: DocumentType,
      args: { id: { type: new GraphQLNonNull(GraphQLID) }, validateOnly: { type: GraphQLBoolean } },
      resolve: (_s, args, ctx) =>
        mutating(ctx, () =>
          maybeValidateOnly(ctx, args.validateOnly, () => {
            const current = ctx.store.documents.get(args.id as string)
            if (current === undefined) throw PathfinderErrors.documentNotFound(args.id as string)
            const fs = activeFactSheet(ctx, current.factSheetId)
            ctx.store.deleteDocument(ctx.tx, current.id)
            ctx.tx.emit({ kind: 'DOCUMENT_DELETED', document: current, factSheet: editFactSheet(ctx, fs) })
            return current
          }),
        ),
    },
  }
}
