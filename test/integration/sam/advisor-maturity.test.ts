// The sizing advisor (issue 14) on instances of each SAM generation, small and over 1,000,000
// rows, with each module missing in turn: the flow it recommends, the modules it reports and
// where it learnt them (the plugin list, or the data when the user may not read it).
import t from 'tap'
import { startServiceNowEmulator, type SeedOptions } from '../../../connectors/servicenow/emulator/index.ts'
import type { AdviceAnswer } from '../../../connectors/servicenow-sam/advisor/schemas.ts'
import { buildTestApp } from '../../helpers/app.ts'

t.setTimeout(300_000)

const PASSWORD = 'maturity-admin'
const hub = await buildTestApp(t)

async function instance(seed: SeedOptions) {
  const sn = await startServiceNowEmulator({
    adminPassword: PASSWORD,
    users: [{ userName: 'integration', password: PASSWORD, roles: ['itil'], email: 'integration@example.com' }],
    seed: { seed: 11, ...seed },
  })
  t.teardown(() => sn.close())
  const connect = async (username: string) =>
    (
      await hub.app.connections.create({
        name: `sn-${Math.random().toString(36).slice(2)}`,
        connector: 'servicenow',
        settings: { instanceUrl: sn.url, allowHttp: true, authKind: 'basic', username, password: PASSWORD },
      })
    ).id
  const admin = await connect('admin')
  const advise = async (connectionId = admin) => {
    const res = await hub.inject({ method: 'POST', url: `/api/v1/connections/${connectionId}/advise`, payload: {} })
    if (res.statusCode !== 200) throw new Error(res.body)
    return res.json<AdviceAnswer>()
  }
  /** turns a plugin off, as an administrator deactivating it would */
  const deactivate = async (id: string) => {
    const res = await fetch(`${sn.url}/api/now/table/v_plugin?sysparm_query=id=${id}&sysparm_fields=sys_id`, {
      headers: {
        authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`,
        accept: 'application/json',
      },
    })
    const [row] = ((await res.json()) as { result: Array<{ sys_id: string }> }).result
    if (!row) throw new Error(`no plugin ${id}`)
    sn.instance.data.update('v_plugin', row.sys_id, { active: 'inactive' })
  }
  return { sn, admin, advise, deactivate, connect }
}

const present = (advice: AdviceAnswer) =>
  Object.entries(advice.modules)
    .filter(([, m]) => m.present)
    .map(([name]) => name)
    .sort()

t.test('small instances of each generation, read from the plugin list', async (t) => {
  const expected = {
    samPro: { flow: 'sam', modules: ['discovery', 'sam', 'samPro'] },
    sam: { flow: 'sam', modules: ['discovery', 'sam'] },
    legacy: { flow: 'legacy', modules: ['discovery', 'legacy'] },
    none: { flow: 'none', modules: ['discovery'] },
  } as const
  for (const [maturity, want] of Object.entries(expected)) {
    const { advise } = await instance({ samMaturity: maturity as SeedOptions['samMaturity'], relations: 300 })
    const advice = await advise()
    t.equal(advice.modulesFrom, 'plugins', `${maturity}: the admin reads v_plugin`)
    t.same(present(advice), want.modules, `${maturity}: modules`)
    t.equal(advice.flow, want.flow, `${maturity}: ${advice.reasons.join(' / ')}`)
    t.equal(advice.hardware, true, `${maturity}: Discovery and hardware models`)
    t.ok(advice.numbers.sizedRows < 1_000_000)
  }
})

t.test('without Discovery, hardware IT components are left out', async (t) => {
  const { advise } = await instance({ samMaturity: 'sam', discovery: false, relations: 300 })
  const advice = await advise()
  t.equal(advice.modules.discovery.present, false)
  t.match(advice.modules.discovery.evidence, /com\.snc\.discovery .* not active/)
  t.equal(advice.hardware, false)
  t.match(advice.warnings.join('\n'), /Discovery is not there/)
})

t.test('an integration user who may not read v_plugin gets the modules from the data', async (t) => {
  const { advise, connect } = await instance({ samMaturity: 'legacy', relations: 300 })
  const advice = await advise(await connect('integration'))
  t.equal(advice.modulesFrom, 'data')
  t.equal(advice.flow, 'legacy', advice.reasons.join(' / '))
  t.match(advice.warnings.join('\n'), /not readable by this user/)
})

t.test('over 1,000,000 rows, with each module missing in turn', async (t) => {
  const large = await instance({ samMaturity: 'samPro', relations: 1_000_000, discoveryModels: 30_000 })
  const all = await large.advise()
  t.equal(all.numbers.cmdb_rel_ci, 1_000_000)
  t.ok(all.numbers.sizedRows > 1_000_000, `${all.numbers.sizedRows} rows`)
  t.equal(all.flow, 'samPro', all.reasons.join(' / '))
  t.ok((all.numbers.filteredDiscoveryModels ?? 0) > 0, 'the filter leaves some discovery models')
  t.ok(all.requests <= 11, `it counts: ${all.requests} requests`)

  await large.deactivate('com.snc.samp')
  const noSamPro = await large.advise()
  t.equal(noSamPro.flow, 'sam')
  t.match(noSamPro.warnings.join('\n'), /large for dynamic link matching/)

  await large.deactivate('com.snc.sams')
  const noSam = await large.advise()
  t.equal(noSam.flow, 'none', 'the installations alone do not make a module when the plugin list says otherwise')

  await large.deactivate('com.snc.discovery')
  const noDiscovery = await large.advise()
  t.equal(noDiscovery.hardware, false)
})
