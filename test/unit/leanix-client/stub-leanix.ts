// A scriptable stand-in for a LeanIX instance, for protocol edge cases the emulator does not
// produce on demand (exact 429/5xx sequences, timeouts, strict result caps). 127.0.0.1, port 0.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface StubRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingMessage['headers']
  body: string
  json: () => Record<string, unknown>
}

export interface StubReply {
  status?: number
  headers?: Record<string, string>
  body?: unknown
  /** wait this long before answering (for timeouts) */
  delayMs?: number
}

export type StubHandler = (req: StubRequest) => StubReply | Promise<StubReply>

export interface Stub {
  url: string
  requests: StubRequest[]
  close(): Promise<void>
}

export async function startStub(handler: StubHandler): Promise<Stub> {
  const requests: StubRequest[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stub')
      const body = Buffer.concat(chunks).toString('utf8')
      const r: StubRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        json: () => JSON.parse(body) as Record<string, unknown>,
      }
      requests.push(r)
      void Promise.resolve(handler(r)).then(async (reply) => {
        if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs))
        if (res.destroyed) return
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers })
        res.end(
          reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body),
        )
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** An unsigned JWT with LeanIX-shaped claims. */
export function fakeJwt(claims: Record<string, unknown>): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
  return `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}.c2lnbmF0dXJl`
}

export const TECH_USER_ID = 'b5f1c4a0-0000-4000-8000-000000000001'
export const WORKSPACE_ID = 'a1b2c3d4-0000-4000-8000-00000000beef'

export function tokenReply(expSeconds = Math.floor(Date.now() / 1000) + 3600, role = 'ADMIN'): StubReply {
  return {
    body: {
      scope: '',
      expired: false,
      access_token: fakeJwt({
        exp: expSeconds,
        sub: 'crosswalk-hub',
        instanceUrl: 'https://eu.leanix.net',
        principal: {
          id: TECH_USER_ID,
          username: 'crosswalk-hub',
          role: 'ACCOUNTUSER',
          permission: { workspaceId: WORKSPACE_ID, workspaceName: 'acme', role },
        },
      }),
      token_type: 'bearer',
      expires_in: expSeconds - Math.floor(Date.now() / 1000),
    },
  }
}

/** a tiny data model: one type with a single-select field, a lifecycle, an external id and a relation */
export const DATA_MODEL = {
  status: 'OK',
  type: 'DataModelDefinition',
  data: {
    factSheets: {
      Application: {
        fields: {
          name: { type: 'StringDataType' },
          description: { type: 'StringDataType' },
          businessCriticality: {
            type: 'SingleSelectType',
            values: ['missionCritical', 'businessCritical', 'businessOperational', 'administrativeService'],
          },
          technicalSuitability: {
            type: 'SingleSelectType',
            values: ['inappropriate', 'unreasonable', 'adequate', 'fullyAppropriate'],
          },
          platforms: { type: 'MultipleSelectType', values: ['windows', 'macOS', 'linux'] },
          lifecycle: { type: 'LifecycleType', values: ['plan', 'phaseIn', 'active', 'phaseOut', 'endOfLife'] },
          serviceNowExternalId: { type: 'ExternalIdType' },
          costs: { type: 'DoubleNumberDataType' },
          location: { type: 'LocationType' },
        },
        relations: ['relApplicationToITComponent'],
      },
      ITComponent: {
        fields: { name: { type: 'StringDataType' }, serviceNowExternalId: { type: 'ExternalIdType' } },
        relations: ['relITComponentToApplication'],
      },
    },
    relations: {
      relApplicationToITComponent: {
        from: { factSheetType: 'Application', name: 'relApplicationToITComponent', multiplicity: 'MULTI' },
        to: { factSheetType: 'ITComponent', name: 'relITComponentToApplication', multiplicity: 'MULTI' },
        fields: { usageType: { type: 'SingleSelectType', values: ['primary', 'backup'] } },
      },
    },
    externalIdFields: { serviceNowExternalId: { uniqueFactSheet: true } },
  },
}
