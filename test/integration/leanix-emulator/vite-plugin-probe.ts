// Starts SAP's custom report dev server (npm @sap/vite-plugin-leanix-custom-report, unmodified) in
// the report project given as the working directory, then does what the report page does through
// the plugin's relay: GraphQL with the bearer token the plugin put in its launch URL. Prints what
// it saw as JSON. Run as a child process by vite-plugin.test.ts (NODE_EXTRA_CA_CERTS is read at
// process start).
import { request } from 'node:http'
import leanix from '@sap/vite-plugin-leanix-custom-report'
import { createServer } from 'vite'

const result: Record<string, unknown> = {}
const server = await createServer({
  root: process.cwd(),
  configFile: false,
  logLevel: 'silent',
  plugins: [leanix()],
  server: { port: 0 },
})
try {
  await server.listen()
  let launchUrl: string | undefined
  for (let i = 0; i < 100 && launchUrl === undefined; i++) {
    launchUrl = server.resolvedUrls?.local.find((u) => u.includes('#access_token='))
    if (launchUrl === undefined) await new Promise((resolve) => setTimeout(resolve, 50))
  }
  if (launchUrl === undefined) throw new Error('the plugin printed no launch URL')
  const url = new URL(launchUrl)
  const token = url.hash.slice('#access_token='.length)
  result.launchPath = url.pathname
  const relay = url.origin
  // The report page is a browser: it reaches the relay directly. node:http, because the plugin made
  // its proxy the process-wide fetch dispatcher (its own lxr.json proxyURL), which a browser does not see.
  const gql = (query: string, variables: Record<string, unknown> = {}) =>
    new Promise<{ status: number; body: { data: Record<string, unknown> | null; errors: unknown } }>(
      (resolve, reject) => {
        const payload = JSON.stringify({ query, variables })
        const req = request(
          `${relay}/services/pathfinder/v1/graphql`,
          {
            method: 'POST',
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(payload),
            },
          },
          (res) => {
            let text = ''
            res.setEncoding('utf8')
            res.on('data', (chunk: string) => (text += chunk))
            res.on('end', () => {
              if (res.statusCode !== 200)
                reject(new Error(`relay answered HTTP ${res.statusCode}: ${text.slice(0, 300)}`))
              else
                resolve({
                  status: 200,
                  body: JSON.parse(text) as { data: Record<string, unknown> | null; errors: unknown },
                })
            })
          },
        )
        req.on('error', reject)
        req.end(payload)
      },
    )
  // a paged read, as a report walks the inventory
  const ids: string[] = []
  let after: string | null = null
  let pages = 0
  do {
    const page = await gql(
      'query($after: String) { allFactSheets(factSheetType: Application, first: 10, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id rev } } } }',
      { after },
    )
    const connection = page.body.data?.allFactSheets as {
      totalCount: number
      pageInfo: { hasNextPage: boolean; endCursor: string }
      edges: Array<{ node: { id: string } }>
    }
    result.totalCount = connection.totalCount
    ids.push(...connection.edges.map((e) => e.node.id))
    after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null
    pages++
  } while (after !== null && pages < 50)
  result.pages = pages
  result.ids = ids
  // a patch
  const patched = await gql(
    'mutation($id: ID!, $patches: [Patch]!) { updateFactSheet(id: $id, patches: $patches) { factSheet { id rev description } } }',
    { id: ids[0], patches: [{ op: 'replace', path: '/description', value: 'edited through the report dev server' }] },
  )
  result.patched = patched.body
} catch (error) {
  result.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
} finally {
  await server.close()
}
process.stdout.write(JSON.stringify(result))
process.exit(0)
