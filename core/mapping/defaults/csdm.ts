// The default mappings, following CSDM 4.0 as SAP LeanIX ships its ServiceNow integration:
// applications and business capabilities are mastered in LeanIX and written to
// cmdb_ci_business_app and cmdb_ci_business_capability, with their lifecycle, owners and the
// relation between them ("Provided By::Provides": the capability is the parent). IT components
// (software, hardware) are mastered in ServiceNow and come from the SAM connector.
// Value tables use LeanIX's standard keys and the out-of-box ServiceNow choices.
import type { MappingDefinitionInput } from '../schema.ts'

export interface CsdmConnections {
  leanixConnectionId: string
  servicenowConnectionId: string
  /** prefix of the mapping names (default "CSDM") */
  prefix?: string
}

export function csdmDefaults(c: CsdmConnections): MappingDefinitionInput[] {
  const prefix = c.prefix ?? 'CSDM'
  const capabilities = `${prefix}: Business capabilities`
  const applications = `${prefix}: Applications`
  const leanix = (entity: string) => ({ connectionId: c.leanixConnectionId, entity })
  const servicenow = (entity: string) => ({ connectionId: c.servicenowConnectionId, entity })
  const retired = { type: 'archivedStatus' as const, target: 'operational_status', value: '6' }
  return [
    {
      name: capabilities,
      description:
        'Business capabilities mastered in LeanIX, kept in cmdb_ci_business_capability with their hierarchy.',
      enabled: true,
      source: leanix('BusinessCapability'),
      target: servicenow('cmdb_ci_business_capability'),
      mode: 'conservative',
      fields: [
        { type: 'field', source: 'name', target: 'name' },
        { type: 'field', source: 'description', target: 'description' },
        {
          type: 'valueMap',
          source: 'level',
          target: 'hierarchy_level',
          values: ['1', '2', '3', '4', '5', '6'].map((n) => ({ source: n, target: `${n}.0` })),
        },
        retired,
      ],
      relations: [
        {
          name: 'parent capability',
          otherMapping: capabilities,
          source: { kind: 'field', field: 'relToParent' },
          target: { kind: 'field', field: 'parent' },
        },
      ],
      matching: { rules: [{ source: ['name'], target: ['name'] }], ignoreCase: true, collapseWhitespace: true },
      events: { partialSync: 'full', shortBuffering: false, batchSize: 5000, batchMinutes: 15 },
    },
    {
      name: applications,
      description:
        'Applications mastered in LeanIX, kept in cmdb_ci_business_app with lifecycle, criticality, owners and the capabilities they provide.',
      enabled: true,
      source: leanix('Application'),
      target: servicenow('cmdb_ci_business_app'),
      mode: 'conservative',
      fields: [
        { type: 'field', source: 'name', target: 'name' },
        { type: 'field', source: 'description', target: 'description' },
        {
          type: 'valueMap',
          source: 'businessCriticality',
          target: 'business_criticality',
          values: [
            { source: 'missionCritical', target: '1 - most critical' },
            { source: 'businessCritical', target: '2 - somewhat critical' },
            { source: 'businessOperational', target: '3 - less critical' },
            { source: 'administrativeService', target: '4 - not critical' },
          ],
        },
        {
          type: 'lifecycle',
          source: 'lifecycle',
          target: 'life_cycle_stage',
          values: [
            { source: 'plan', target: 'Design' },
            { source: 'phaseIn', target: 'Develop' },
            { source: 'active', target: 'Operational' },
            { source: 'phaseOut', target: 'Operational' },
            { source: 'endOfLife', target: 'End of Life' },
          ],
        },
        {
          type: 'lifecycle',
          source: 'lifecycle',
          target: 'life_cycle_stage_status',
          values: [
            { source: 'plan', target: 'Planning' },
            { source: 'phaseIn', target: 'Planning' },
            { source: 'active', target: 'In Use' },
            { source: 'phaseOut', target: 'In Use' },
            { source: 'endOfLife', target: 'Retired' },
          ],
        },
        { type: 'subscription', subscriptionType: 'RESPONSIBLE', field: 'it_application_owner' },
        { type: 'subscription', subscriptionType: 'ACCOUNTABLE', field: 'owned_by' },
        retired,
      ],
      relations: [
        {
          name: 'provided capabilities',
          otherMapping: capabilities,
          source: { kind: 'field', field: 'relApplicationToBusinessCapability' },
          target: { kind: 'cmdbRelCi', relType: 'Provided By::Provides', self: 'child' },
        },
      ],
      matching: { rules: [{ source: ['name'], target: ['name'] }], ignoreCase: true, collapseWhitespace: true },
      events: { partialSync: 'full', shortBuffering: false, batchSize: 5000, batchMinutes: 15 },
    },
  ]
}
