// Which ServiceNow releases the hub's ticketing supports. SailPoint's SIM states it supports
// the New York release and not Madrid, London, Kingston, Jakarta or Istanbul (seed 002). The hub
// uses only the Table API and the Service Catalog API (order_now, cart, submit_order), which New
// York and every later family keep; so: New York and later are supported, earlier ones are not,
// and a release the hub cannot read or name is reported with a warning, never silently accepted.
// The same check looks at the integration's catalog items: one that does not ask for the
// correlation_id variable (on the item itself or in a variable set attached to it) leaves a crash
// between ordering and marking to a person.
import { Type, type Static } from 'typebox'
import { queryInList, type ServiceNowClient } from '../../servicenow/index.ts'
import { IdnErrors } from '../errors.ts'
import { CORRELATION_VARIABLE, ServiceNowDesk } from '../tickets/servicenow-desk.ts'
import type { TicketSettings } from '../tickets/settings.ts'

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

export const CatalogWarningSchema = Type.Object(
  { code: Type.String(), sourceId: Type.String(), catalogItem: Type.String(), message: Type.String() },
  { additionalProperties: false },
)
export type CatalogWarning = Static<typeof CatalogWarningSchema>

export const ReleaseAssessmentSchema = Type.Object(
  {
    family: Type.Union([Type.String(), Type.Null()]),
    supported: Type.Boolean(),
    level: Type.Union([Type.Literal('ok'), Type.Literal('info'), Type.Literal('warning')]),
    message: Type.String(),
    build: Type.Optional(Type.String({ description: 'the property value the release was read from' })),
    catalogWarnings: Type.Optional(
      Type.Array(CatalogWarningSchema, {
        description:
          'catalog items of a serviceRequest integration that do not ask for the correlation_id variable (own or set)',
      }),
    ),
  },
  { title: 'ServiceNowReleaseAssessment', additionalProperties: false },
)
export type ReleaseAssessment = Static<typeof ReleaseAssessmentSchema>

/**
 * Where an instance names its release, best first. glide.buildtag is a runtime property that is
 * often not a sys_properties record; glide.buildtag.last is not one on every release either, and
 * glide.war (the deployed build, "glide-<family>-<date>__patch<N>-…zip") is; glide.buildname is
 * the plain name ("Tokyo"). Public clients read the same names (several try glide.buildtag, then
 * glide.buildtag.last or glide.war, then glide.buildname).
 */
export const RELEASE_PROPERTIES = ['glide.buildtag', 'glide.buildtag.last', 'glide.war', 'glide.buildname'] as const

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
        'The ServiceNow release could not be read (sys_properties glide.buildtag, glide.buildtag.last, glide.war, glide.buildname); supported: New York and later',
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

/** The build text of the first release property the instance has (see RELEASE_PROPERTIES). */
export async function readBuild(client: ServiceNowClient): Promise<string | undefined> {
  const values = new Map<string, string>()
  for await (const page of client.readTable('sys_properties', {
    filter: queryInList('name', RELEASE_PROPERTIES),
    fields: ['name', 'value'],
  })) {
    for (const row of page.records) {
      if (typeof row.name === 'string' && typeof row.value === 'string' && row.value !== '') {
        values.set(row.name, row.value)
      }
    }
  }
  return RELEASE_PROPERTIES.map((name) => values.get(name)).find((value) => value !== undefined)
}

/** Reads the instance's release and assesses it; a read failure is a warning (saying why), not an error. */
export async function checkRelease(client: ServiceNowClient): Promise<ReleaseAssessment> {
  let build: string | undefined
  try {
    build = await readBuild(client)
  } catch (error) {
    const assessment = assessRelease(undefined)
    return { ...assessment, message: `${assessment.message}. Reading it failed: ${(error as Error).message}` }
  }
  return { ...assessRelease(build), ...(build ? { build } : {}) }
}

/** Catalog items that do not define the correlation_id variable (unreadable ones are reported too). */
export async function checkCatalogItems(
  client: ServiceNowClient,
  settings: TicketSettings,
  desk: ServiceNowDesk = new ServiceNowDesk(),
): Promise<CatalogWarning[]> {
  if (settings.ticketType !== 'serviceRequest') return []
  const warnings: CatalogWarning[] = []
  for (const [sourceId, catalogItem] of Object.entries(settings.catalogItem)) {
    const defined = await desk.definesCorrelationVariable(client, catalogItem).catch(() => false)
    if (defined) continue
    const missing = new IdnErrors.CATALOG_VARIABLE_MISSING(catalogItem, sourceId, CORRELATION_VARIABLE)
    warnings.push({ code: missing.code, sourceId, catalogItem, message: missing.message })
  }
  return warnings
}

/** The release check of an integration: the release, and for catalog requests the items' variables. */
export async function checkServiceNow(client: ServiceNowClient, settings: TicketSettings): Promise<ReleaseAssessment> {
  const release = await checkRelease(client)
  const catalogWarnings = await checkCatalogItems(client, settings)
  if (catalogWarnings.length === 0) return release
  return { ...release, level: 'warning', catalogWarnings }
}
