// Every error the encoded-query module raises, declared once with a stable code.
import createError from '@fastify/error'

const QueryInvalidBase = createError<'CW_SN_QUERY_INVALID', 400, [number, string]>(
  'CW_SN_QUERY_INVALID',
  'Encoded query is invalid at position %d: %s',
  400,
)

/**
 * The text is not a well-formed encoded query. `position` is the 0-based index of the offending
 * character in the input, `reason` says what was expected there. The parser throws nothing else.
 */
export class EncodedQueryError extends QueryInvalidBase {
  readonly position: number
  readonly reason: string
  constructor(position: number, reason: string) {
    super(position, reason)
    this.name = 'EncodedQueryError'
    this.position = position
    this.reason = reason
  }
}

export const EncodedQueryErrors = {
  /** A value (or field) cannot be written into an encoded query without changing its meaning. */
  VALUE_UNSAFE: createError<'CW_SN_QUERY_VALUE_UNSAFE', 400, [string]>(
    'CW_SN_QUERY_VALUE_UNSAFE',
    'Cannot put this into an encoded query: %s',
    400,
  ),
  /** The local evaluator cannot evaluate a term; a real instance would, so we refuse instead of guessing. */
  UNSUPPORTED: createError<'CW_SN_QUERY_UNSUPPORTED', 422, [string]>(
    'CW_SN_QUERY_UNSUPPORTED',
    'Unsupported in local evaluation: %s',
    422,
  ),
} as const
