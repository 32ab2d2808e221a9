// SAP's custom report dev server (npm @sap/vite-plugin-leanix-custom-report 9.2.1, unmodified)
// against the emulator over verified TLS: it exchanges the project's API token at MTM, decodes the
// workspace from the JWT, and relays the report's GraphQL (a paged read and a patch) to Pathfinder.
// The plugin only talks to `https://<host>.leanix.net`; its own `proxyURL` setting (lxr.json)
// routes that name to the emulator, the way a corporate proxy would.
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'tap'
import { startConnectProxy } from './connect-proxy.ts'
import { LEANIX_LIKE_HOST, startTlsEmulator } from './tls-emulator.ts'

const PROBE = join(import.meta.dirname, 'vite-plugin-probe.ts')

test('the report dev server exchanges the API token and relays paged reads and patches', async (t) => {
  const { emulator, ca } = await startTlsEmulator(t, { seed: { seed: 7, factSheets: 120 } })
  const port = Number(emulator.host.split(':')[1])
  const proxy = await startConnectProxy(t, { [`${LEANIX_LIKE_HOST}:443`]: port })
  const project = await mkdtemp(join(tmpdir(), 'lxr-report-'))
  t.teardown(() => rm(project, { recursive: true, force: true }))
  await writeFile(join(project, 'ca.pem'), ca)
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({
      name: 'crosswalk-probe-report',
      version: '0.0.1',
      description: 'probe',
      leanixReport: { title: 'Probe', defaultConfig: {} },
    }),
  )
  await writeFile(join(project, 'index.html'), '<!doctype html><html><body><div id="app"></div></body></html>')
  await writeFile(
    join(project, 'lxr.json'),
    JSON.stringify({ host: LEANIX_LIKE_HOST, apitoken: emulator.apiToken, proxyURL: proxy.url }),
  )

  const seen = await new Promise<Record<string, unknown>>((resolve) => {
    execFile(
      process.execPath,
      [PROBE],
      {
        cwd: project,
        timeout: 120_000,
        env: { PATH: process.env.PATH ?? '', HOME: project, NODE_EXTRA_CA_CERTS: join(project, 'ca.pem') },
      },
      (error, stdout, stderr) => {
        try {
          resolve(JSON.parse(stdout) as Record<string, unknown>)
        } catch {
          resolve({ error: `${String(error)}\n${stderr}\n${stdout}` })
        }
      },
    )
  })
  t.equal(seen.error, undefined, `${String(seen.error)} ${JSON.stringify(proxy.tunnels)}`)
  t.equal(seen.launchPath, `/${emulator.workspace.name}/reporting/dev`, 'workspace name decoded from the JWT')
  const total = seen.totalCount as number
  t.ok(total > 10, 'more than one page')
  t.equal(seen.pages, Math.ceil(total / 10))
  t.equal(new Set(seen.ids as string[]).size, total, 'every application once')
  t.match(seen.patched, {
    errors: null,
    data: { updateFactSheet: { factSheet: { rev: Number, description: 'edited through the report dev server' } } },
  })
  t.ok(
    proxy.tunnels.every((target) => target === `${LEANIX_LIKE_HOST}:443`),
    'everything went to the LeanIX host name',
  )
  t.ok(proxy.tunnels.length >= 2, 'token exchange and relay both tunnelled')
})
