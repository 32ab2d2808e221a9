// What every resolver of one GraphQL request sees: the workspace, the calling user, the
// request's transaction, and the fault switches that can inject a REVISION_CLASH.
import type { FaultSwitches } from '../faults.ts'
import type { FactSheetWriter } from '../workspace/fact-sheet-writes.ts'
import type { UserRecord } from '../workspace/records.ts'
import type { WorkspaceStore } from '../workspace/store.ts'
import type { Transaction } from '../workspace/transaction.ts'
import type { FactSheetQuery } from './fact-sheet-query.ts'
import type { FactSheetLog } from './log-events.ts'

export interface PathfinderContext {
  store: WorkspaceStore
  writer: FactSheetWriter
  query: FactSheetQuery
  log: FactSheetLog
  tx: Transaction
  user: UserRecord
  faults: FaultSwitches
  /** root mutation fields that ran, so the request knows whether to commit */
  mutationsRun: number
}
