// Pathfinder GraphQL over the transport. LeanIX answers HTTP 200 even when a query fails, so
// every answer's errors[] is read; LeanixGraphqlError carries them (with extensions.errorType
// such as REVISION_CLASH) so callers can tell which aliased mutation failed and why.
import { LeanixErrors } from '../errors.ts'
import type { Credentials } from '../../../core/http/credentials.ts'
import { parseJson, type LeanixTransport } from './transport.ts'

export const GRAPHQL_PATH = '/services/pathfinder/v1/graphql'

export interface GraphqlErrorItem {
  message: string
  path?: Array<string | number>
  locations?: Array<{ line: number; column: number }>
  extensions?: { errorType?: string; objectId?: string; objectPath?: string; [k: string]: unknown }
}

export interface GraphqlResponse<T> {
  data: T | null
  errors: GraphqlErrorItem[]
}

export type LeanixGraphqlError = InstanceType<typeof LeanixErrors.GRAPHQL> & {
  errors: GraphqlErrorItem[]
  /** data that came along with the errors, if any */
  partialData: unknown
}

export function graphqlError(errors: GraphqlErrorItem[], partialData: unknown = null): LeanixGraphqlError {
  const types = [...new Set(errors.map((e) => e.extensions?.errorType).filter((t) => t !== undefined))]
  const err = new LeanixErrors.GRAPHQL(
    types.length ? ` (${types.join(', ')})` : '',
    errors.map((e) => e.message).join('; ') || 'unknown error',
  ) as LeanixGraphqlError
  err.errors = errors
  err.partialData = partialData
  return err
}

export function isGraphqlError(err: unknown): err is LeanixGraphqlError {
  return err instanceof LeanixErrors.GRAPHQL && 'errors' in err
}

/** the errorType of each error, or a code read from the message ("[FS_VALIDATION_…] …") */
export function errorTypeOf(item: GraphqlErrorItem): string {
  if (item.extensions?.errorType) return item.extensions.errorType
  const bracket = /^\[([A-Z_]+)\]/.exec(item.message)
  return bracket?.[1] ?? 'GRAPHQL'
}

export class GraphqlClient {
  readonly #transport: LeanixTransport
  readonly #auth: Credentials

  constructor(transport: LeanixTransport, auth: Credentials) {
    this.#transport = transport
    this.#auth = auth
  }

  /** Sends one document; returns data and errors as LeanIX gave them. */
  async raw<T>(
    query: string,
    variables: Record<string, unknown>,
    options: { mutation: boolean; signal?: AbortSignal },
  ): Promise<GraphqlResponse<T>> {
    const label = options.mutation ? 'Pathfinder GraphQL mutation' : 'Pathfinder GraphQL query'
    const res = await this.#transport.send(
      {
        method: 'POST',
        path: GRAPHQL_PATH,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
        idempotent: !options.mutation,
        label,
        signal: options.signal,
      },
      this.#auth,
    )
    if (res.status === 401 || res.status === 403) throw new LeanixErrors.AUTH_REJECTED(res.status)
    const body = (res.text ? parseJson(res, label) : {}) as { data?: T | null; errors?: GraphqlErrorItem[] }
    if (res.status < 200 || res.status >= 300) {
      // some gateways answer 4xx with a GraphQL body; keep its errors when there are any
      if (Array.isArray(body.errors) && body.errors.length) throw graphqlError(body.errors, body.data ?? null)
      throw new LeanixErrors.HTTP_STATUS(label, res.status, res.text.slice(0, 200))
    }
    return { data: body.data ?? null, errors: Array.isArray(body.errors) ? body.errors : [] }
  }

  /** Sends one document and throws on any error in errors[]. */
  async request<T>(
    query: string,
    variables: Record<string, unknown>,
    options: { mutation?: boolean; signal?: AbortSignal } = {},
  ): Promise<T> {
    const { data, errors } = await this.raw<T>(query, variables, {
      mutation: options.mutation ?? false,
      signal: options.signal,
    })
    if (errors.length) throw graphqlError(errors, data)
    if (data === null) throw graphqlError([{ message: 'response has no data' }])
    return data
  }
}
