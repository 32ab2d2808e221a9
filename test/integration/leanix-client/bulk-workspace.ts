// Fills an emulated workspace fast for volume tests: fact sheets go straight into the emulator's
// store (what its own seed does), so that a test spends its time reading, not seeding.
import { randomUUID } from 'node:crypto'
import type { LeanixEmulator } from '../../../connectors/leanix/emulator/index.ts'

const CRITICALITY = ['missionCritical', 'businessCritical', 'businessOperational', 'administrativeService']
const FIT = ['inappropriate', 'unreasonable', 'adequate', 'fullyAppropriate']

/** Adds `n` active Applications with varied fields (about one in ten without criticality). */
export function addApplications(emu: LeanixEmulator, n: number, prefix = 'Bulk App'): string[] {
  const store = emu.runtime.store
  const ids: string[] = []
  const base = Date.UTC(2025, 0, 1)
  for (let i = 0; i < n; i++) {
    const id = randomUUID()
    const at = new Date(base + i * 1000).toISOString()
    store.putFactSheet(null, {
      id,
      type: 'Application',
      name: `${prefix} ${i}`,
      rev: 1,
      status: 'ACTIVE',
      description: null,
      category: null,
      lxState: 'DRAFT',
      createdAt: at,
      updatedAt: at,
      fields: {
        ...(i % 10 === 9 ? {} : { businessCriticality: CRITICALITY[i % 4] }),
        technicalSuitability: FIT[(i >> 2) % 4],
        externalId: { externalId: `BULK-${i}`, externalUrl: null, comment: null, status: null, externalVersion: null },
        lifecycle: { phases: [{ phase: 'active', startDate: '2024-01-01' }] },
      },
      tagIds: [],
      naFields: [],
      archivedAt: null,
    })
    ids.push(id)
  }
  return ids
}
