// The release properties an instance reports in sys_properties, so a client reads the release over
// the Table API as it would on a real instance. Public clients read these names: glide.war (the
// deployed build, "glide-tokyo-07-08-2022__patch4-…_….zip"), glide.buildtag.last (the build tag,
// "glide-<family>-<MM-DD-YYYY>__patch<N>-<MM-DD-YYYY>") and glide.buildname ("Tokyo"). One notes
// that glide.buildtag.last is not a record on every release while glide.war is
// (libre-devops/python-helpers, its ServiceNow instance client); others read glide.buildname, then
// glide.war. glide.buildtag itself is a runtime property (gs.getProperty) that several clients
// find absent as a record, so the emulator does not store it. The build dates below are
// placeholders in the real format; only the family in them carries meaning.
import { EmulatorErrors } from '../errors.ts'
import type { Instance } from '../instance/instance.ts'

export interface ReleaseInfo {
  /** the family key used in build tags: newyork, washingtondc */
  family: string
  /** glide.buildname: New York, Washington DC */
  buildName: string
  /** the family's GA build date in the tag format (MM-DD-YYYY) */
  gaDate: string
}

export const RELEASES: readonly ReleaseInfo[] = [
  { family: 'istanbul', buildName: 'Istanbul', gaDate: '12-07-2016' },
  { family: 'jakarta', buildName: 'Jakarta', gaDate: '05-03-2017' },
  { family: 'kingston', buildName: 'Kingston', gaDate: '11-14-2017' },
  { family: 'london', buildName: 'London', gaDate: '06-04-2018' },
  { family: 'madrid', buildName: 'Madrid', gaDate: '12-12-2018' },
  { family: 'newyork', buildName: 'New York', gaDate: '06-26-2019' },
  { family: 'orlando', buildName: 'Orlando', gaDate: '01-22-2020' },
  { family: 'paris', buildName: 'Paris', gaDate: '06-24-2020' },
  { family: 'quebec', buildName: 'Quebec', gaDate: '12-09-2020' },
  { family: 'rome', buildName: 'Rome', gaDate: '06-16-2021' },
  { family: 'sandiego', buildName: 'San Diego', gaDate: '12-09-2021' },
  { family: 'tokyo', buildName: 'Tokyo', gaDate: '07-08-2022' },
  { family: 'utah', buildName: 'Utah', gaDate: '12-07-2022' },
  { family: 'vancouver', buildName: 'Vancouver', gaDate: '06-21-2023' },
  { family: 'washingtondc', buildName: 'Washington DC', gaDate: '12-20-2023' },
  { family: 'xanadu', buildName: 'Xanadu', gaDate: '07-02-2024' },
  { family: 'yokohama', buildName: 'Yokohama', gaDate: '01-14-2025' },
  { family: 'zurich', buildName: 'Zurich', gaDate: '07-08-2025' },
]

/** The emulator's default: New York, the release SailPoint certifies the SIM on (seed 002). */
export const DEFAULT_RELEASE = 'newyork'

export function releaseInfo(family: string): ReleaseInfo | undefined {
  const key = family.toLowerCase().replace(/[^a-z]/g, '')
  return RELEASES.find((r) => r.family === key)
}

/** The property rows an instance of this release carries (patch 0, built on its GA date). */
export function releaseProperties(release: ReleaseInfo): Array<Record<string, string>> {
  const tag = `glide-${release.family}-${release.gaDate}__patch0-${release.gaDate}`
  return [
    {
      name: 'glide.war',
      value: `${tag}_${release.gaDate}_0000.zip`,
      type: 'string',
      description: 'The deployed build',
    },
    { name: 'glide.buildtag.last', value: tag, type: 'string', description: 'Build tag of the last upgrade' },
    { name: 'glide.buildname', value: release.buildName, type: 'string', description: 'Release name' },
  ]
}

/**
 * Writes the release properties (inserting or updating the rows), so a test can make the
 * instance report another release. `family` is a family key or build name (madrid, "New York").
 */
export function installRelease(instance: Instance, family: string = DEFAULT_RELEASE): ReleaseInfo {
  const release = releaseInfo(family)
  if (!release) {
    throw new EmulatorErrors.OPTIONS_INVALID(
      `release "${family}" is not a ServiceNow release family; use one of ${RELEASES.map((r) => r.family).join(', ')}`,
    )
  }
  const store = instance.storeOf(instance.table('sys_properties'))
  for (const values of releaseProperties(release)) {
    let existing: string | undefined
    for (let i = 0; i < store.size; i++) {
      const row = store.at(i) as string[]
      if (store.value(row, 'name') === values.name) existing = store.value(row, 'sys_id')
    }
    if (existing) instance.update('sys_properties', existing, values, 'system')
    else instance.insert('sys_properties', values, 'system')
  }
  return release
}
