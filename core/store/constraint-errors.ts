// What the store says when a write breaks a rule of the schema, mapped once: a repository names
// the declared error each kind of violation means for it (a unique name taken, a record still
// referenced), and `mapConstraintErrors` throws that instead of the driver's error. Both drivers
// (pg and PGlite) carry PostgreSQL's SQLSTATE in `code`. Data exceptions (class 22: a NUL
// character, a text that is not a UUID, a negative LIMIT) are bad input wherever they surface;
// `describeStoreDataError` says so without repeating the store's message.

export type ConstraintKind = 'unique' | 'foreign-key' | 'check' | 'not-null' | 'exclusion'

export interface ConstraintViolation {
  kind: ConstraintKind
  /** the constraint's name, e.g. connections_name_key */
  constraint: string | undefined
  table: string | undefined
}

/** Per kind of violation, the caller's declared error (made after the transaction rolled back). */
export type ConstraintErrorMap = Partial<
  Record<ConstraintKind, (violation: ConstraintViolation) => Error | Promise<Error>>
>

const KINDS: Record<string, ConstraintKind> = {
  '23505': 'unique',
  '23503': 'foreign-key',
  '23514': 'check',
  '23502': 'not-null',
  '23P01': 'exclusion',
}

interface StoreError {
  code: string
  severity: string
  constraint?: string
  table?: string
}

/** An error raised by PostgreSQL (server or PGlite), as opposed to one of ours or the driver's. */
export function isStoreError(error: unknown): error is StoreError {
  const e = error as Partial<StoreError> | null
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.code === 'string' &&
    /^[0-9A-Z]{5}$/.test(e.code) &&
    typeof e.severity === 'string'
  )
}

export function constraintViolation(error: unknown): ConstraintViolation | undefined {
  if (!isStoreError(error)) return undefined
  const kind = KINDS[error.code]
  return kind ? { kind, constraint: error.constraint, table: error.table } : undefined
}

/**
 * Runs `work` (a statement or a whole transaction); a constraint violation the caller mapped
 * becomes the caller's error, anything else is thrown unchanged.
 */
export async function mapConstraintErrors<T>(work: () => Promise<T>, map: ConstraintErrorMap): Promise<T> {
  try {
    return await work()
  } catch (error) {
    const violation = constraintViolation(error)
    const toDeclared = violation ? map[violation.kind] : undefined
    if (!violation || !toDeclared) throw error
    throw await toDeclared(violation)
  }
}

const DATA_ERRORS: Record<string, string> = {
  '22P02':
    'a value is not of the type its field takes, such as an id that is not a UUID or a number that is not finite',
  '22021': 'a text holds a NUL character or bytes that are not UTF-8',
  '22P05': 'a text holds a NUL character or an unpaired UTF-16 surrogate',
  '22003': 'a number is out of range',
  '2201W': 'a limit is negative',
  '2201X': 'an offset is negative',
  '22001': 'a text is longer than its field takes',
  '22007': 'a date or time is not valid',
  '22008': 'a date or time is out of range',
  '54001': 'a value nests too deeply',
}

/** For a data exception: what was wrong with the input, in our words; undefined otherwise. */
export function describeStoreDataError(error: unknown): string | undefined {
  if (!isStoreError(error)) return undefined
  return DATA_ERRORS[error.code] ?? (error.code.startsWith('22') ? 'a value is not valid for its field' : undefined)
}
