// The newcomer's path, end to end: `node server.ts` on the embedded store answers ready, keeps
// what was written across a restart, and shuts down cleanly on SIGTERM.
import { test } from 'tap'
import { freePort, startHub, stopHub, waitReady } from '../../helpers/hub-process.ts'
import { mkdtemp, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'

test('state written before a restart is there after it; SIGTERM shuts down cleanly', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cw-restart-'))
  const port = await freePort()
  const adminToken = randomBytes(24).toString('hex')
  const env = {
    CROSSWALK_DATA_DIR: dataDir,
    PORT: String(port),
    CROSSWALK_ADMIN_TOKEN: adminToken,
    CROSSWALK_SANDBOX: 'off',
    LOG_LEVEL: 'warn',
  }
  delete process.env.DATABASE_URL
  const base = `http://127.0.0.1:${port}`
  const auth = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }

  const first = startHub(env)
  t.teardown(() => first.child.kill('SIGKILL'))
  await waitReady(base, first.child)
  const created = await fetch(`${base}/api/v1/tokens`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ name: 'kept across restarts', role: 'viewer' }),
  })
  t.equal(created.status, 201, await created.clone().text())
  t.equal(await stopHub(first.child), 0, 'exit code 0 after SIGTERM')
  const keyFile = await stat(join(dataDir, 'master.key'))
  t.equal(keyFile.mode & 0o777, 0o600, 'the generated vault key file is readable by its owner only')

  const second = startHub(env)
  t.teardown(() => second.child.kill('SIGKILL'))
  await waitReady(base, second.child)
  const listed = await fetch(`${base}/api/v1/tokens`, { headers: auth })
  const body = (await listed.json()) as { items: Array<{ name: string }> }
  t.ok(
    body.items.some((token) => token.name === 'kept across restarts'),
    'the token created before the restart is listed after it',
  )
  t.equal(await stopHub(second.child), 0)
  t.notMatch(first.output() + second.output(), new RegExp(adminToken), 'the admin token never reaches the output')
})
