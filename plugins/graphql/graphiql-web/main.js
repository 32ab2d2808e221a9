// GraphiQL's page script, bundled by vite (vite.config.ts) into ../graphiql-web/dist at install
// time: GraphiQL 5 and React 19 ship no browser builds, only ES modules for a bundler. It talks
// to this hub's /graphql (HTTP, and WebSocket for subscriptions) with the headers of its headers
// editor, which starts with the Authorization header /graphql needs.
import { createElement } from 'react'
import { createRoot } from 'react-dom/client'
import { GraphiQL } from 'graphiql'
import { createGraphiQLFetcher } from '@graphiql/toolkit'
import { getOperationAST, parse } from 'graphql'
import 'graphiql/style.css'
import './workers.js'

// relative to the page (/graphiql), so that a reverse proxy's path prefix is kept
const url = new URL('./graphql', window.location.href)
const socketUrl = new URL(url)
socketUrl.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'

const toolkitFetcher = createGraphiQLFetcher({
  url: url.href,
  // the headers editor's headers become the socket's connection_init payload, where the hub
  // looks for the token of a subscription
  subscriptionUrl: socketUrl.href,
  // the hub answers plain JSON (no @defer or @stream)
  enableIncrementalDelivery: false,
})

/**
 * The toolkit sends an operation over the socket only when the document GraphiQL hands it says
 * it is a subscription, and GraphiQL does not hand over the one it sends while it has no schema
 * (the first schema read goes out before a token is pasted, and is refused): the document is
 * parsed here from the text that goes out, so a subscription never goes out as an HTTP request.
 * @type {typeof toolkitFetcher}
 */
const fetcher = (params, options) => {
  let documentAST
  try {
    documentAST = parse(params.query)
  } catch {
    // not GraphQL: the hub says what is wrong with it
    return toolkitFetcher(params, options)
  }
  // the toolkit matches the operation by name: an unnamed request names the operation it runs
  const operationName = params.operationName ?? getOperationAST(documentAST)?.name?.value
  return toolkitFetcher({ ...params, ...(operationName ? { operationName } : {}) }, { ...options, documentAST })
}

const root = document.getElementById('graphiql')
if (!root) throw new Error('the page has no #graphiql element')
createRoot(root).render(
  createElement(GraphiQL, {
    fetcher,
    isHeadersEditorEnabled: true,
    defaultEditorToolsVisibility: 'headers',
    defaultHeaders: JSON.stringify({ authorization: 'Bearer PASTE-A-VIEWER-TOKEN' }, null, 2),
  }),
)
