// Standalone use: main.ts (npm run emulator:servicenow) listens where PORT/HOST say and seeds;
// with a certificate and key it serves https; X-HTTP-Method-Override and HEAD work like GET/PUT.
import { spawn } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generate } from 'selfsigned'
import { test } from 'tap'
import { Agent, fetch } from 'undici'
import { ADMIN, call, emulator } from './helpers.ts'

test('main.ts serves a seeded instance over https when given a certificate and key', async (t) => {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], { keySize: 2048, algorithm: 'sha256' })
  const dir = await mkdtemp(join(tmpdir(), 'snemu-'))
  await writeFile(join(dir, 'cert.pem'), pems.cert)
  await writeFile(join(dir, 'key.pem'), pems.private)
  const child = spawn(process.execPath, ['connectors/servicenow/emulator/main.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      SEED_RELATIONS: '120',
      TLS_CERT: join(dir, 'cert.pem'),
      TLS_KEY: join(dir, 'key.pem'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  t.teardown(() => {
    child.kill('SIGTERM')
  })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString()
      const m = /listening on (\S+)/.exec(out)
      if (m?.[1]) resolve(m[1])
    })
    child.once('exit', (code) => reject(new Error(`main.ts exited with ${code}: ${out}`)))
  })
  t.match(url, /^https:\/\/127\.0\.0\.1:\d+$/)
  const dispatcher = new Agent({ connect: { rejectUnauthorized: false } })
  t.teardown(() => dispatcher.close())
  const res = await fetch(`${url}/api/now/stats/cmdb_rel_ci?sysparm_count=true`, {
    headers: { authorization: ADMIN, accept: 'application/json' },
    dispatcher,
  })
  t.equal(res.status, 200)
  t.same(await res.json(), { result: { stats: { count: '120' } } })
})

test('X-HTTP-Method-Override on POST and HEAD on a GET route', async (t) => {
  const { url, instance } = await emulator(t)
  const inc = instance.data.insert('incident', { short_description: 'x' })
  const r = await call(url, 'POST', `/api/now/table/incident/${inc.row[0]}`, {
    body: { state: '2' },
    headers: { 'x-http-method-override': 'PATCH' },
  })
  t.equal(r.status, 200)
  t.equal(r.json.result.state, '2')
  const head = await fetch(`${url}/api/now/table/incident`, {
    method: 'HEAD',
    headers: { authorization: ADMIN, accept: 'application/json' },
  })
  t.equal(head.status, 200)
  t.equal(head.headers.get('x-total-count'), '1')
  t.equal(await head.text(), '')
})
