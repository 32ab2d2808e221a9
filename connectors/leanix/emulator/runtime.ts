// Everything one running emulator holds, shared by its routes and its in-process handle.
import type { FaultSwitches } from './faults.ts'
import type { TokenService } from './mtm/token-service.ts'
import type { PathfinderGraphQL } from './pathfinder/graphql-endpoint.ts'
import type { WebhookService } from './webhooks/webhook-service.ts'
import type { WorkspaceStore } from './workspace/store.ts'

export interface RateLimitSettings {
  /** requests per user per window (LeanIX: 1800 per minute, docs/reference/leanix.md §8) */
  max: number
  windowMs: number
}

export interface EmulatorRuntime {
  store: WorkspaceStore
  tokens: TokenService
  graphql: PathfinderGraphQL
  faults: FaultSwitches
  webhooks: WebhookService
  rateLimit: RateLimitSettings
  /** https://127.0.0.1:port once listening */
  baseUrl: () => string
}
