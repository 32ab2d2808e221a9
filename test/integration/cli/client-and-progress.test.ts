// The CLI's pieces on their own: the hub client's retries (429/503 honouring Retry-After, bounded;
// a POST not repeated after a network failure) and the progress display on a terminal.
import { test } from 'tap'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { once } from 'node:events'
import { PassThrough } from 'node:stream'
import { HubAnswerError, HubClient } from '../../../cli/hub-client.ts'
import { watchRun } from '../../../cli/watch-run.ts'
import type { Run } from '../../../cli/answers.ts'

async function server(
  t: { teardown(fn: () => unknown): void },
  handle: (req: IncomingMessage, res: ServerResponse) => void,
) {
  const s = createServer(handle).listen(0, '127.0.0.1')
  await once(s, 'listening')
  t.teardown(() => s.close())
  return `http://127.0.0.1:${(s.address() as { port: number }).port}`
}

const answer = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

test('429 and 503 are tried again after Retry-After, a bounded number of times', async (t) => {
  const seen: string[] = []
  const url = await server(t, (req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization}`)
    if (seen.length === 1)
      return answer(res, 429, { code: 'CW_RATE_LIMITED', message: 'slow down' }, { 'retry-after': '7' })
    if (seen.length === 2) return answer(res, 503, { code: 'CW_QUEUE_STOPPED', message: 'stopping' })
    answer(res, 200, { items: [], total: 0 })
  })
  const waits: number[] = []
  const client = new HubClient({ url, token: 'tok', timeoutMs: 5000, sleep: async (ms) => void waits.push(ms) })
  t.same(await client.mappings(), [])
  t.equal(seen.length, 3)
  t.equal(seen[0], 'GET /api/v1/mappings?limit=500&offset=0 Bearer tok')
  t.equal(waits[0], 7000, 'Retry-After in seconds')
  t.ok((waits[1] ?? 0) > 0 && (waits[1] ?? 0) <= 1000, 'backoff without Retry-After')

  let refused = 0
  const always = await server(t, (_req, res) => {
    refused++
    answer(res, 429, { code: 'CW_RATE_LIMITED', message: 'More than 600 requests' }, { 'retry-after': '1' })
  })
  const bounded = new HubClient({ url: always, token: 'tok', timeoutMs: 5000, attempts: 3, sleep: async () => {} })
  const error = await bounded.request('POST', '/mappings/x/runs', {}).catch((e: unknown) => e)
  t.ok(error instanceof HubAnswerError)
  t.match(error, { code: 'CW_RATE_LIMITED', statusCode: 429 })
  t.equal(refused, 3, 'three attempts in all, then the error')
})

test('a POST whose connection dropped is not sent again; a GET is', async (t) => {
  let posts = 0
  let gets = 0
  const url = await server(t, (req, res) => {
    if (req.method === 'POST') posts++
    else gets++
    if (req.method === 'POST' || gets === 1) return req.socket.destroy()
    answer(res, 200, { id: 'r' })
  })
  const client = new HubClient({ url, token: 'tok', timeoutMs: 5000, sleep: async () => {} })
  await t.rejects(client.request('POST', '/mappings/x/runs', {}), { code: 'CW_CLI_HUB_UNREACHABLE' })
  t.equal(posts, 1, 'the run may have started: not repeated')
  t.same(await client.request('GET', '/runs/r'), { id: 'r' })
  t.equal(gets, 2)
})

test('on a terminal, progress is a bar redrawn in place, scaled by the expected count', async (t) => {
  const base: Run = {
    id: 'run-1',
    mappingId: 'm',
    status: 'RUNNING',
    kind: 'full',
    trigger: 'manual',
    dryRun: false,
    options: {},
    queuedAt: '2026-01-01T00:00:00.000Z',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: null,
    counts: {
      read: 0,
      created: 0,
      updated: 0,
      deleted: 0,
      linked: 0,
      unchanged: 0,
      conflicts: 0,
      skipped: 0,
      failed: 0,
      relationsCreated: 0,
      relationsDeleted: 0,
    },
    message: null,
    cancelRequested: false,
    phase: 'target',
  }
  const later: Run[] = [
    { ...base, phase: 'source', counts: { ...base.counts, read: 50, created: 50 } },
    { ...base, status: 'OK', phase: 'done', counts: { ...base.counts, read: 100, created: 100 } },
  ]
  const terminal = Object.assign(new PassThrough(), { isTTY: true, columns: 160 }) as unknown as NodeJS.WriteStream
  let written = ''
  ;(terminal as unknown as PassThrough).on('data', (b: Buffer) => (written += b.toString('utf8')))
  const client = { run: async () => later.shift() as Run } as unknown as HubClient
  const finished = await watchRun({
    client,
    run: base,
    intervalMs: 1,
    stream: terminal,
    expectedRead: 100,
    sleep: async () => {},
  })
  t.equal(finished.status, 'OK')
  t.ok(written.includes('\u001b['), 'terminal control sequences: the bar redraws in place')
  t.match(written, /RUNNING target \|░+\| 0% \| 0\/100 read \| 0 changed/)
  t.match(written, /OK done \|█+\| 100% \| 100\/100 read \| 100 changed \| 0 failed/)
})
