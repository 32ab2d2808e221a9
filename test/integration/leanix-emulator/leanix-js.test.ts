// LeanIX's own JavaScript client (npm leanix-js) against the emulator over real TLS: it builds
// `https://${host}/services/mtm/v1/oauth2/token` and `.../pathfinder/v1/graphql`, decodes the
// JWT for workspaceId/workspaceName, throws GraphQLError on `errors` and UnauthorizedError on 401.
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'tap'
import { startTlsEmulator } from './tls-emulator.ts'

const PROBE = join(import.meta.dirname, 'leanix-js-probe.ts')

function runProbe(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [PROBE],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (child.exitCode ?? 1) : 0, stdout, stderr })
      },
    )
  })
}

test('leanix-js authenticates and queries over TLS it verifies', async (t) => {
  const { emulator, ca } = await startTlsEmulator(t)
  const dir = await mkdtemp(join(tmpdir(), 'leanix-tls-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const caFile = join(dir, 'ca.pem')
  await writeFile(caFile, ca)
  t.match(emulator.url, /^https:\/\/127\.0\.0\.1:\d+$/)

  const trusted = await runProbe({
    NODE_EXTRA_CA_CERTS: caFile,
    LEANIX_HOST: emulator.host,
    LEANIX_API_TOKEN: emulator.apiToken,
  })
  t.equal(trusted.code, 0, trusted.stderr)
  const seen = JSON.parse(trusted.stdout) as Record<string, unknown>
  t.equal(seen.error, undefined)
  t.equal(seen.workspaceId, emulator.workspace.id, 'workspaceId decoded from the JWT')
  t.equal(seen.workspaceName, emulator.workspace.name, 'workspaceName decoded from the JWT')
  t.equal(seen.expiresIn, 3599)
  const query = seen.query as { allFactSheets: { totalCount: number; edges: Array<{ node: { type: string } }> } }
  t.ok(query.allFactSheets.totalCount > 3)
  t.equal(query.allFactSheets.edges.length, 3)
  t.ok(query.allFactSheets.edges.every((e) => e.node.type === 'Application'))
  const mutation = seen.mutation as { createFactSheet: { factSheet: { rev: number; description: string } } }
  t.same(mutation.createFactSheet.factSheet.description, 'via leanix-js')
  t.match(seen.graphqlError, /^GraphQLError: .*FieldUndefined/)
  t.equal(seen.badToken, 'UnauthorizedError: 401 - unauthorized')

  const untrusted = await runProbe({ LEANIX_HOST: emulator.host, LEANIX_API_TOKEN: emulator.apiToken })
  const failed = JSON.parse(untrusted.stdout) as Record<string, unknown>
  t.match(failed.error, /self[- ]signed|unable to verify/i, 'without the CA the client refuses the certificate')
})
