// Schemas shared by every route: the error body and the shapes every list answers with.
import { Type, type Static, type TSchema, type TUnsafe } from 'typebox'

export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.String({ description: 'Stable error code, CW_...' }),
    error: Type.String(),
    message: Type.String({ description: 'What went wrong and what to fix' }),
    requestId: Type.String(),
    problems: Type.Optional(
      Type.Array(
        Type.Object({
          pointer: Type.String({ description: 'JSON pointer into the request body' }),
          message: Type.String(),
        }),
        {
          description: 'every problem found (CW_MAPPING_INVALID, CW_CONNECTION_SETTINGS_INVALID), each where it is',
        },
      ),
    ),
  },
  { $id: 'ErrorResponse', title: 'ErrorResponse' },
)

/**
 * A `$ref` to a shared schema (one given to app.addSchema), typed as that schema: TypeBox 1's Ref
 * takes only the id and types the reference as unknown.
 */
export function RefTo<T extends TSchema>(schema: T): TUnsafe<Static<T>> {
  const id = (schema as { $id?: unknown }).$id
  if (typeof id !== 'string') throw new Error('a shared schema needs an $id to be referenced')
  return Type.Unsafe<Static<T>>(Type.Ref(id))
}

export const ErrorRef = RefTo(ErrorResponse)

/** The error answers every authenticated admin route can give. */
export const adminErrors = {
  400: ErrorRef,
  401: ErrorRef,
  403: ErrorRef,
  429: ErrorRef,
  500: ErrorRef,
}

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

export function ListOf<T extends TSchema>(item: T, title: string) {
  return Type.Object({ items: Type.Array(item), total: Type.Integer({ minimum: 0 }) }, { title })
}
