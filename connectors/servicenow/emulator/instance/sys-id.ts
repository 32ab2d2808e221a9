// sys_id: 32 lowercase hex characters (a GUID without dashes), as the platform generates them.
import { randomBytes } from 'node:crypto'

export const SYS_ID_PATTERN = /^[0-9a-f]{32}$/

export const newSysId = (): string => randomBytes(16).toString('hex')
