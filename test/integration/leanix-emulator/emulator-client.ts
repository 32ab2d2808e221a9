// A bare HTTP client for the emulator tests: token exchange and GraphQL with fetch, so the tests
// see exactly what goes over the wire (status codes, headers, error bodies).
import {
  startLeanixEmulator,
  type LeanixEmulator,
  type LeanixEmulatorOptions,
} from '../../../connectors/leanix/emulator/index.ts'

export interface GraphQLAnswer {
  status: number
  headers: Headers
  body: { data?: Record<string, unknown> | null; errors?: Array<Record<string, unknown>> } & Record<string, unknown>
}

export async function startForTest(
  t: { teardown: (fn: () => Promise<void> | void) => void },
  options: LeanixEmulatorOptions = {},
): Promise<LeanixEmulator> {
  const emulator = await startLeanixEmulator({ seed: { seed: 7, factSheets: 200 }, ...options })
  t.teardown(() => emulator.close())
  return emulator
}

export async function exchangeToken(url: string, apiToken: string): Promise<string> {
  const response = await fetch(`${url}/services/mtm/v1/oauth2/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`apitoken:${apiToken}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  })
  if (response.status !== 200) throw new Error(`token exchange answered ${response.status}`)
  const body = (await response.json()) as { access_token: string }
  return body.access_token
}

export async function graphql(
  url: string,
  accessToken: string,
  query: string,
  variables?: unknown,
): Promise<GraphQLAnswer> {
  const response = await fetch(`${url}/services/pathfinder/v1/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as GraphQLAnswer['body'] }
}

/** Token exchange once, then GraphQL calls as that user. */
export async function clientFor(emulator: LeanixEmulator, apiToken = emulator.apiToken) {
  const token = await exchangeToken(emulator.url, apiToken)
  return { token, gql: (query: string, variables?: unknown) => graphql(emulator.url, token, query, variables) }
}
