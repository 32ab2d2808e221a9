// Stored mapping definitions carry the version of their format (mappings.schema_version). A
// definition written by an older release is brought up to the current format when it is read,
// one step at a time, so mappings keep working across upgrades (as platformatic upgrades its
// configuration files); one written by a newer release is refused rather than misread.
import { MappingErrors } from './errors.ts'
import { MAPPING_SCHEMA_VERSION, type MappingSpec } from './schema.ts'

type Step = (definition: Record<string, unknown>) => Record<string, unknown>

/** UPGRADES[n] takes a definition of format n to format n + 1. */
const UPGRADES: Record<number, Step> = {}

export function upgradeDefinition(mappingId: string, definition: Record<string, unknown>, from: number): MappingSpec {
  if (from > MAPPING_SCHEMA_VERSION) throw new MappingErrors.SCHEMA_TOO_NEW(mappingId, from, MAPPING_SCHEMA_VERSION)
  let current = definition
  for (let v = from; v < MAPPING_SCHEMA_VERSION; v++) {
    const step = UPGRADES[v]
    if (!step) throw new MappingErrors.SCHEMA_TOO_NEW(mappingId, from, MAPPING_SCHEMA_VERSION)
    current = step(current)
  }
  return current as unknown as MappingSpec
}
