// The exact requests of LeanIX's own scripts and of its OpenAPI-generated Python clients, replayed
// byte for byte over TLS (python-requests' header order and bodies, json.dumps spacing):
// - leanix-public/scripts: token exchange `requests.post(auth_url, auth=('apitoken', token),
//   data={'grant_type': 'client_credentials'})`, GraphQL `requests.post(url, headers={Authorization},
//   data=json.dumps({"query": ...}))` (no Content-Type), the relation patch of
//   importConstrainingRelations.py;
// - port-labs/LeanIX-Sync: paging that starts with `after: ""`;
// - Knuckles-Team/leanix-agent api_client_webhooks.py: a session with `Content-Type: application/json`
//   on every request, for the webhook subscription lifecycle (create, read, update, pull, commit,
//   delete with no body).
import { test } from 'tap'
import { pythonJsonDumps, pythonRequestsBytes, rawExchange, startTlsEmulator, type RawAnswer } from './tls-emulator.ts'

test('LeanIX scripts and generated clients, byte for byte', async (t) => {
  const { emulator, ca } = await startTlsEmulator(t, { seed: { seed: 7, factSheets: 80 } })
  const send = (method: string, path: string, headers: Array<[string, string]>, body = ''): Promise<RawAnswer> =>
    rawExchange(emulator, ca, pythonRequestsBytes(method, emulator.host, path, headers, body))

  // 1. the token exchange every script starts with
  const form = 'grant_type=client_credentials'
  const tokenAnswer = await send(
    'POST',
    '/services/mtm/v1/oauth2/token',
    [
      ['Content-Length', String(form.length)],
      ['Content-Type', 'application/x-www-form-urlencoded'],
      ['Authorization', `Basic ${Buffer.from(`apitoken:${emulator.apiToken}`).toString('base64')}`],
    ],
    form,
  )
  t.equal(tokenAnswer.status, 200, tokenAnswer.text)
  const token = String(tokenAnswer.json().access_token)

  // 2. GraphQL as the scripts' call(query): a JSON string body and no Content-Type
  const call = (query: string) => {
    const body = pythonJsonDumps({ query })
    return send(
      'POST',
      '/services/pathfinder/v1/graphql',
      [
        ['Authorization', `Bearer ${token}`],
        ['Content-Length', String(Buffer.byteLength(body))],
      ],
      body,
    )
  }
  const ids: string[] = []
  let endCursor = ''
  let more = true
  let pages = 0
  while (more && pages < 20) {
    // port-labs/LeanIX-Sync renders its first page with end_cursor = ""
    const page = await call(`
    {
      allFactSheets(
        after: "${endCursor}"
        first: 10
        filter: {
          facetFilters: [{ facetKey: "FactSheetTypes", keys: ["Application"] }]
        }
      ) {
        pageInfo { hasNextPage endCursor }
        edges { node { ... on Application { id name type } } }
      }
    }`)
    t.equal(page.status, 200, page.text)
    const data = (
      page.json().data as {
        allFactSheets: { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: Array<{ node: { id: string } }> }
      }
    ).allFactSheets
    ids.push(...data.edges.map((e) => e.node.id))
    more = data.pageInfo.hasNextPage
    endCursor = data.pageInfo.endCursor
    pages++
  }
  const applications = [...emulator.runtime.store.factSheets.values()].filter(
    (f) => f.type === 'Application' && f.status === 'ACTIVE',
  )
  t.equal(new Set(ids).size, applications.length, 'every application once, from after: "" on')

  // 3. the webhook subscription the scripts' changes will show up in (generated client session)
  const session: Array<[string, string]> = [
    ['Authorization', `Bearer ${token}`],
    ['Content-Type', 'application/json'],
  ]
  const withBody = (json: unknown): [Array<[string, string]>, string] => {
    const body = pythonJsonDumps(json)
    return [[...session, ['Content-Length', String(Buffer.byteLength(body))]], body]
  }
  const [createHeaders, createBody] = withBody({
    identifier: 'replayed-pull',
    deliveryType: 'PULL',
    tagSets: [['pathfinder', 'FACT_SHEET_UPDATED']],
    workspaceId: emulator.workspace.id,
  })
  const created = await send('POST', '/services/webhooks/v1/subscriptions', createHeaders, createBody)
  t.equal(created.status, 201, created.text)
  const subscription = created.json().data as { id: string; identifier: string }
  const read = await send('GET', `/services/webhooks/v1/subscriptions/${subscription.id}`, session)
  t.match(read.json(), { status: 'OK', data: { id: subscription.id, deliveryType: 'PULL' } })
  const [updateHeaders, updateBody] = withBody({ ...subscription, ignoreError: true })
  const updated = await send('PUT', `/services/webhooks/v1/subscriptions/${subscription.id}`, updateHeaders, updateBody)
  t.match(updated.json(), { status: 'OK', data: { ignoreError: true } })

  // 4. the relation patch of importConstrainingRelations.py, escaped as its Python source escapes it
  const app = ids[0] ?? ''
  const bc = [...emulator.runtime.store.factSheets.values()].find(
    (f) =>
      f.type === 'BusinessCapability' && ![...emulator.runtime.store.relationsOf(app)].some((r) => r.toId === f.id),
  )?.id
  const patched = await call(`
    mutation {
      updateFactSheet(id: "${app}", 
                      patches: [{op: add, path: "/relApplicationToBusinessCapability/new_1", value: "{\\"factSheetId\\": \\"${bc}\\"}"}]) {
        factSheet {
          id
        } 
      }
    }
  `)
  t.same(patched.json(), { data: { updateFactSheet: { factSheet: { id: app } } }, errors: null })

  // 5. pull what happened, commit, delete (DELETE: JSON Content-Type, Content-Length 0, no body)
  const pulled = await send(
    'GET',
    `/services/webhooks/v1/subscriptions/${subscription.id}/events?autoCommit=false&timeout=0`,
    session,
  )
  const pull = pulled.json().data as { events: Array<{ event: string }>; nextCursor: { offset: number } }
  t.equal(pull.events.length, 1)
  t.match(JSON.parse(pull.events[0]?.event ?? '{}'), { type: 'FactSheetUpdatedEvent', factSheet: { id: app } })
  const [cursorHeaders, cursorBody] = withBody({ offset: pull.nextCursor.offset })
  const committed = await send(
    'PUT',
    `/services/webhooks/v1/subscriptions/${subscription.id}/cursor`,
    cursorHeaders,
    cursorBody,
  )
  t.equal(committed.status, 200, committed.text)
  const deleted = await send('DELETE', `/services/webhooks/v1/subscriptions/${subscription.id}`, [
    ...session,
    ['Content-Length', '0'],
  ])
  t.equal(deleted.status, 200, deleted.text)
  const gone = await send('GET', `/services/webhooks/v1/subscriptions/${subscription.id}`, session)
  t.equal(gone.status, 404)
})
