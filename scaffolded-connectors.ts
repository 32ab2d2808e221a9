// The connectors made with `npm run new:connector` (scripts/new-connector.ts): app.ts registers
// each plugin after the built-in connectors. The script writes this file; it keeps the lists sorted.
import type { FastifyPluginAsync } from 'fastify'
import exampleConnectorPlugin from './connectors/example/plugin.ts'

export const SCAFFOLDED_CONNECTORS: readonly FastifyPluginAsync[] = [exampleConnectorPlugin]
