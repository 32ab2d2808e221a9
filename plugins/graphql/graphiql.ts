// GraphiQL at /graphiql, served entirely by the hub: its page, GraphiQL's and React's browser
// bundles from the installed packages, and the script that starts it. Nothing is fetched from a
// CDN, so it works on a network without internet. /graphql needs a token: the headers editor
// starts with an Authorization header to fill in.
import { createReadStream } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { FastifyInstance } from 'fastify'

const require = createRequire(import.meta.url)
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`))

/** The browser files GraphiQL needs, by the name they are served under (/graphiql/assets/NAME). */
const ASSETS: Record<string, { file: string; type: string }> = {
  'react.js': { file: join(packageDir('react'), 'umd/react.production.min.js'), type: 'text/javascript' },
  'react-dom.js': { file: join(packageDir('react-dom'), 'umd/react-dom.production.min.js'), type: 'text/javascript' },
  'graphiql.js': { file: join(packageDir('graphiql'), 'graphiql.min.js'), type: 'text/javascript' },
  'graphiql.css': { file: join(packageDir('graphiql'), 'graphiql.min.css'), type: 'text/css' },
}

// runs in the browser: GraphiQL over this hub's /graphql, with a header to put a token in
const START = `(function () {
  var fetcher = GraphiQL.createFetcher({ url: new URL('./graphql', window.location.href).href })
  var root = ReactDOM.createRoot(document.getElementById('graphiql'))
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    isHeadersEditorEnabled: true,
    defaultHeaders: JSON.stringify({ authorization: 'Bearer PASTE-A-VIEWER-TOKEN' }, null, 2),
    defaultEditorToolsVisibility: 'headers',
  }))
})()
`

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Crosswalk GraphiQL</title>
  <meta name="robots" content="noindex">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="./graphiql/assets/graphiql.css">
  <style>body { margin: 0; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL...</div>
  <script src="./graphiql/assets/react.js"></script>
  <script src="./graphiql/assets/react-dom.js"></script>
  <script src="./graphiql/assets/graphiql.js"></script>
  <script src="./graphiql/assets/start.js"></script>
</body>
</html>
`

export function graphiqlRoutes(app: FastifyInstance): void {
  app.get('/graphiql', async (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE))
  app.get('/graphiql/assets/start.js', async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').send(START),
  )
  for (const [name, asset] of Object.entries(ASSETS)) {
    // the packages' files do not change while the hub runs
    app.get(`/graphiql/assets/${name}`, async (_request, reply) =>
      reply
        .type(`${asset.type}; charset=utf-8`)
        .header('cache-control', 'public, max-age=86400')
        .send(createReadStream(asset.file)),
    )
  }
}
