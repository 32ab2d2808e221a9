// Schemas shared by every route: the error body and the shapes every list answers with.
import { Type, type TSchema } from '@sinclair/typebox'

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
          description: 'every problem found (CW_MAPPING_INVALID), each where it is',
        },
      ),
    ),
  },
  { $id: 'ErrorResponse', title: 'ErrorResponse' },
)

export const ErrorRef = Type.Ref(ErrorResponse)

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
