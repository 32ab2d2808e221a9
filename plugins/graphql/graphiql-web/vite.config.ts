// The browser bundle of GraphiQL (main.js), built by `npm run build:graphiql` (npm ci and npm
// install run it: the root package's prepare script) into dist/, which the hub serves under
// /graphiql/assets/ (../graphiql.ts). Every file name carries a content hash, so the hub lets
// browsers keep them; the manifest names the entry's script and style sheets for the page.
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

export default defineConfig({
  root: dirname(fileURLToPath(import.meta.url)),
  // URLs between the bundle's files are relative, whatever path the hub is reached under
  base: './',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    // fonts and images as files, not data: URLs the CSP would have to allow
    assetsInlineLimit: 0,
    // Monaco is large and GraphiQL loads it in one piece; the size is recorded in the README
    chunkSizeWarningLimit: 5000,
    rolldownOptions: {
      input: 'main.js',
      // React libraries mark modules "use client" for server rendering, which a browser bundle has none of
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning)
      },
    },
  },
})
