// Monaco's web workers (the editor's own, JSON for the variables and headers editors, GraphQL
// for the operation editor), bundled as files of their own by vite's ?worker imports and served
// by the hub next to the page script: no CDN, and no blob: workers for the CSP to allow.
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker.js?worker'
import JsonWorker from 'monaco-editor/esm/vs/language/json/json.worker.js?worker'
import GraphqlWorker from 'monaco-graphql/esm/graphql.worker.js?worker'

globalThis.MonacoEnvironment = {
  getWorker(_workerId, label) {
    if (label === 'json') return new JsonWorker()
    if (label === 'graphql') return new GraphqlWorker()
    return new EditorWorker()
  },
}
