// The sizing advisor's decision on its own (issue 14): SAP LeanIX's size rule (the three tables
// together over 1,000,000 rows), the filter target (20,000 discovery models), and each module
// missing in turn. Surveys are written out by hand; the integration test counts a real emulator.
import t from 'tap'
import { recommend } from '../../../connectors/servicenow-sam/advisor/recommend.ts'
import type { InstanceSurvey, ModuleEvidence, RowCount } from '../../../connectors/servicenow-sam/advisor/survey.ts'
import { SAM_PRO_DISCOVERY_MODEL_FILTER } from '../../../connectors/servicenow-sam/advisor/guidance.ts'

const on: ModuleEvidence = { present: true, evidence: 'active' }
const off: ModuleEvidence = { present: false, evidence: 'not installed' }
const rows = (n: number): RowCount => ({ rows: n })

function survey(
  modules: Partial<InstanceSurvey['modules']>,
  counts: Partial<InstanceSurvey['counts']> = {},
  modulesFrom: InstanceSurvey['modulesFrom'] = 'plugins',
): InstanceSurvey {
  return {
    counts: {
      cmdb_rel_ci: rows(400_000),
      cmdb_sam_sw_install: rows(250_000),
      installsWithoutProductModel: rows(0),
      cmdb_sam_sw_discovery_model: rows(50_000),
      filteredDiscoveryModels: rows(12_000),
      cmdb_software_product_model: rows(3_000),
      cmdb_software_instance: rows(0),
      cmdb_hardware_product_model: rows(40),
      discoveredServers: rows(5_000),
      ...counts,
    },
    modules: { sam: off, samPro: off, legacy: off, discovery: on, ...modules },
    modulesFrom,
    requests: 9,
  }
}
const advise = (s: InstanceSurvey) => recommend(s, SAM_PRO_DISCOVERY_MODEL_FILTER)

t.test('SAM Pro over 1,000,000 rows: discovery models under the filter', async (t) => {
  const advice = advise(survey({ sam: on, samPro: on }, { cmdb_rel_ci: rows(700_001) }))
  t.equal(advice.numbers.sizedRows, 1_000_001)
  t.equal(advice.flow, 'samPro')
  t.match(advice.reasons.join('\n'), /1,000,001 rows together, over the 1,000,000/)
  t.match(advice.reasons.join('\n'), /leaves 12,000 discovery models, within the 20,000/)
  t.same(advice.warnings, [])
  t.equal(advice.hardware, true)
})

t.test('exactly 1,000,000 rows is not over the line: product models', async (t) => {
  const advice = advise(survey({ sam: on, samPro: on }, { cmdb_rel_ci: rows(700_000) }))
  t.equal(advice.numbers.sizedRows, 1_000_000)
  t.equal(advice.flow, 'sam')
  t.match(advice.reasons.join('\n'), /not over the 1,000,000/)
})

t.test('a filter that leaves too many or no discovery models is a warning', async (t) => {
  const many = advise(survey({ samPro: on }, { cmdb_rel_ci: rows(900_000), filteredDiscoveryModels: rows(20_001) }))
  t.equal(many.flow, 'samPro')
  t.match(many.warnings.join('\n'), /leaves 20,001 discovery models, over the 20,000 .*narrow it/)
  const none = advise(survey({ samPro: on }, { cmdb_rel_ci: rows(900_000), filteredDiscoveryModels: rows(0) }))
  t.match(none.warnings.join('\n'), /leaves no discovery model/)
})

t.test('SAM without SAM Pro: product models, with a warning when the instance is large', async (t) => {
  const small = advise(survey({ sam: on }))
  t.equal(small.flow, 'sam')
  t.match(small.reasons[0], /Software Asset Management is there/)
  t.same(small.warnings, [])
  const large = advise(survey({ sam: on }, { cmdb_rel_ci: rows(2_000_000) }))
  t.equal(large.flow, 'sam', 'there are no normalized discovery models to sync instead')
  t.match(large.warnings.join('\n'), /large for dynamic link matching/)
  const noModels = advise(survey({ sam: on }, { cmdb_software_product_model: rows(0) }))
  t.match(noModels.warnings.join('\n'), /cmdb_software_product_model is empty/)
})

t.test('legacy software management: software packages', async (t) => {
  const advice = advise(survey({ legacy: on }, { cmdb_sam_sw_install: rows(0), cmdb_software_instance: rows(8_000) }))
  t.equal(advice.flow, 'legacy')
  t.match(advice.reasons.join('\n'), /cmdb_ci_spkg/)
})

t.test('no SAM module at all: applications and capabilities only', async (t) => {
  const advice = advise(survey({}))
  t.equal(advice.flow, 'none')
  t.match(advice.reasons.join('\n'), /only applications and business capabilities/)
})

t.test('without Discovery: software flows warn, hardware is left out', async (t) => {
  const advice = advise(survey({ sam: on, discovery: off }, { discoveredServers: rows(0) }))
  t.equal(advice.flow, 'sam')
  t.equal(advice.hardware, false)
  t.match(advice.warnings.join('\n'), /installations that link software .* come from Discovery or SCCM/)
  t.match(advice.warnings.join('\n'), /hardware IT components are left out/)
  const noModels = advise(survey({ sam: on }, { cmdb_hardware_product_model: rows(0) }))
  t.equal(noModels.hardware, false)
  t.match(noModels.warnings.join('\n'), /no hardware product models/)
})

t.test('tables that could not be counted count as empty and say so; inferred modules say so', async (t) => {
  const advice = advise(
    survey(
      { samPro: on },
      {
        cmdb_rel_ci: { rows: null, unavailable: 'denied' },
        cmdb_sam_sw_install: { rows: null, unavailable: 'absent' },
      },
      'data',
    ),
  )
  t.equal(advice.numbers.cmdb_rel_ci, null)
  t.equal(advice.numbers.sizedRows, 50_000)
  t.match(advice.warnings.join('\n'), /cmdb_rel_ci could not be counted \(the user may not read it\)/)
  t.match(advice.warnings.join('\n'), /cmdb_sam_sw_install could not be counted \(no such table\)/)
  t.match(advice.warnings.join('\n'), /inferred from the data/)
  t.equal(advice.modulesFrom, 'data')
})

t.test(
  'installations of models not normalized to a product model are said with their share, for the SAM flow only',
  async (t) => {
    const sam = advise(survey({ sam: on }, { installsWithoutProductModel: rows(30_000) }))
    t.equal(sam.flow, 'sam')
    t.equal(sam.numbers.installsWithoutProductModel, 30_000)
    t.match(sam.warnings.join('\n'), /30,000 of 250,000 installations \(12%\) name no software product model/)
    // SAM Pro syncs the discovery models themselves: nothing is left out for want of a product model
    const samPro = advise(
      survey({ sam: on, samPro: on }, { cmdb_rel_ci: rows(900_000), installsWithoutProductModel: rows(30_000) }),
    )
    t.equal(samPro.flow, 'samPro')
    t.notMatch(samPro.warnings.join('\n'), /name no software product model/)
    const uncounted = advise(
      survey({ sam: on }, { installsWithoutProductModel: { rows: null, unavailable: 'denied' } }),
    )
    t.notMatch(uncounted.warnings.join('\n'), /name no software product model/)
    t.equal(uncounted.numbers.installsWithoutProductModel, null)
  },
)
