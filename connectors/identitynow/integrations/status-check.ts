// The tenant-wide status-check configuration (QueuedCheckConfigDetails). SailPoint sends and
// returns the two values as strings ("30", "2"), so they are stored as given after checking that
// they are whole numbers.
import type { Db } from '../../../core/store/db.ts'
import { IdnErrors } from '../errors.ts'

export interface StatusCheckConfig {
  provisioningStatusCheckIntervalMinutes: string
  provisioningMaxStatusCheckDays: string
}

export const DEFAULT_STATUS_CHECK: StatusCheckConfig = {
  provisioningStatusCheckIntervalMinutes: '30',
  provisioningMaxStatusCheckDays: '2',
}

const KEY = 'status-check-configuration'

function wholeNumber(name: keyof StatusCheckConfig, value: unknown, min: number): string {
  const text = typeof value === 'number' ? String(value) : value
  if (typeof text !== 'string' || !/^\d+$/.test(text.trim()) || Number(text) < min) {
    throw new IdnErrors.STATUS_CHECK_INVALID(name)
  }
  return text.trim()
}

export function validateStatusCheck(input: Record<string, unknown>): StatusCheckConfig {
  return {
    provisioningStatusCheckIntervalMinutes: wholeNumber(
      'provisioningStatusCheckIntervalMinutes',
      input.provisioningStatusCheckIntervalMinutes,
      1,
    ),
    provisioningMaxStatusCheckDays: wholeNumber(
      'provisioningMaxStatusCheckDays',
      input.provisioningMaxStatusCheckDays,
      1,
    ),
  }
}

export async function readStatusCheck(db: Db): Promise<StatusCheckConfig> {
  const rows = await db.query<{ value: StatusCheckConfig | string }>('select value from idn_settings where key = $1', [
    KEY,
  ])
  const value = rows.rows[0]?.value
  if (value === undefined) return { ...DEFAULT_STATUS_CHECK }
  return typeof value === 'string' ? (JSON.parse(value) as StatusCheckConfig) : value
}

export async function writeStatusCheck(db: Db, config: StatusCheckConfig): Promise<StatusCheckConfig> {
  await db.query(
    `insert into idn_settings (key, value) values ($1, $2::jsonb)
     on conflict (key) do update set value = excluded.value, updated_at = now()`,
    [KEY, JSON.stringify(config)],
  )
  return config
}

/** The numbers the poller works with. */
export function statusCheckNumbers(config: StatusCheckConfig): { intervalMs: number; maxAgeMs: number } {
  return {
    intervalMs: Number(config.provisioningStatusCheckIntervalMinutes) * 60_000,
    maxAgeMs: Number(config.provisioningMaxStatusCheckDays) * 86_400_000,
  }
}
