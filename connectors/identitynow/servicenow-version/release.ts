// Which ServiceNow releases the hub's ticketing supports. SailPoint's SIM states it supports
// the New York release and not Madrid, London, Kingston, Jakarta or Istanbul (seed 002). The hub
// uses only the Table API and the Service Catalog API (order_now, cart, submit_order), which New
// York and every later family keep; so: New York and later are supported, earlier ones are not,
// and a release the hub cannot read or name is reported with a warning, never silently accepted.
import type { ServiceNowClient } from '../../servicenow/index.ts'

/** Release families in order (the first letter advances by one each release). */
export const FAMILIES = [
  'istanbul',
  'jakarta',
  'kingston',
  'london',
  'madrid',
  'newyork',
  'orlando',
  'paris',
  'quebec',
  'rome',
  'sandiego',
  'tokyo',
  'utah',
  'vancouver',
  'washingtondc',
  'xanadu',
  'yokohama',
  'zurich',
] as const

export const CERTIFIED_FAMILY = 'newyork'

export interface ReleaseAssessment {
  family: string | null
  supported: boolean
  level: 'ok' | 'info' | 'warning'
  message: string
}

/** The family named in a build tag (glide-newyork-06-26-2019__patch0...) or a build name (New York). */
export function familyOf(buildText: string): string | null {
  const tag = /glide-([a-z]+)-/i.exec(buildText)
  const raw = (tag?.[1] ?? buildText).toLowerCase().replace(/[^a-z]/g, '')
  return (FAMILIES as readonly string[]).includes(raw) ? raw : null
}

export function assessRelease(buildText: string | undefined): ReleaseAssessment {
  if (!buildText) {
    return {
      family: null,
      supported: false,
      level: 'warning',
      message:
        'The ServiceNow release could not be read (sys_properties glide.buildtag); supported: New York and later',
    }
  }
  const family = familyOf(buildText)
  if (!family) {
    return {
      family: null,
      supported: false,
      level: 'warning',
      message: `Unknown ServiceNow release "${buildText}"; supported: New York and later`,
    }
  }
  const index = FAMILIES.indexOf(family as (typeof FAMILIES)[number])
  const certified = FAMILIES.indexOf(CERTIFIED_FAMILY)
  if (index < certified) {
    return {
      family,
      supported: false,
      level: 'warning',
      message: `ServiceNow ${family} is older than New York and not supported (nor by SailPoint's SIM)`,
    }
  }
  if (index === certified)
    return {
      family,
      supported: true,
      level: 'ok',
      message: 'ServiceNow New York: the release SailPoint certifies the SIM on',
    }
  return {
    family,
    supported: true,
    level: 'info',
    message: `ServiceNow ${family}: supported by the hub (Table and Service Catalog APIs); newer than the New York release SailPoint certifies`,
  }
}

/** Reads the instance's build tag and assesses it; a read failure is a warning, not an error. */
export async function checkRelease(client: ServiceNowClient): Promise<ReleaseAssessment> {
  try {
    const record = await client.findRecord('sys_properties', 'name', 'glide.buildtag')
    const value = record?.value
    return assessRelease(typeof value === 'string' ? value : undefined)
  } catch {
    return assessRelease(undefined)
  }
}
