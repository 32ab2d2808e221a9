// ServiceNow SAM's graph rules against the connector conformance suite (test/conformance/suite.ts):
// the ServiceNow connector with the SAM provider (useGraphRules), on the small instance of
// test/helpers/sam-graph.ts, reads each graph rule, and all the rules of an entity at once, to the
// end, and resumed after any page (a rule's staging checkpoint or a page of what it let through).
import t from 'tap'
import { createServiceNowConnector } from '../../connectors/servicenow/index.ts'
import { SamGraphRules } from '../../connectors/servicenow-sam/graph/provider.ts'
import { GRAPH_RULES } from '../../connectors/servicenow-sam/graph/rules.ts'
import { GraphStage } from '../../connectors/servicenow-sam/graph/stage.ts'
import { writeSamGraph } from '../helpers/sam-graph.ts'
import { testStore } from '../helpers/store.ts'
import { conformance, type ReadCase } from './suite.ts'
import { smallServiceNow } from './servicenow-emulator.ts'

t.setTimeout(120_000)

const connector = createServiceNowConnector()
t.teardown(() => connector.close())
connector.useGraphRules(new SamGraphRules(new GraphStage(await testStore(t))))

const small = await smallServiceNow()
writeSamGraph(small.insert)

const byRule: ReadCase[] = GRAPH_RULES.map((rule) => ({
  name: `${rule.entity} under ${rule.name}`,
  entity: rule.entity,
  request: { graphRules: [{ rule: rule.name }] },
}))
// every rule of an entity at once: one staging checkpoint per rule before the records
const entities = [...new Set(GRAPH_RULES.map((r) => r.entity))]
const allRules: ReadCase[] = entities.map((entity) => ({
  name: `${entity} under all its rules`,
  entity,
  request: { graphRules: GRAPH_RULES.filter((r) => r.entity === entity).map((r) => ({ rule: r.name })) },
}))

await conformance(t, {
  connector,
  emulator: async () => small.handle,
  read: byRule[0] as ReadCase,
  moreReads: [...byRule.slice(1), ...allRules],
})
