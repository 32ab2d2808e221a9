// The connectors made with `npm run new:connector` (scripts/new-connector.ts): app.ts registers
// each plugin after the built-in connectors. The script writes this file; it keeps the lists sorted.
import type { FastifyPluginAsync } from 'fastify'

export const SCAFFOLDED_CONNECTORS: readonly FastifyPluginAsync[] = []
