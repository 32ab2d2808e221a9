// The demo data of a personal developer instance, on top of the CSDM seed (`seed: { demo: true }`):
// roles granted to users and groups (the OOB admin role among them, so PySNC's live join and
// related-list tests have the shapes they expect: 10-25 admins, 3-7 groups holding an admin
// role, https://github.com/ServiceNow/PySNC/blob/main/test/test_snc_api_query_advanced.py),
// problems and changes linked to incidents, business rules (sys_script, hence sys_metadata),
// assets, and a system log of more than 600 rows (PySNC's paging tests read past that). Every
// table the instance has is listed in sys_db_object already (schema/dictionary-sync.ts).
import type { ServiceNowEmulator } from '../emulator.ts'
import { formatGlideDateTime } from '../instance/glide-time.ts'
import type { RecordValues } from '../instance/instance.ts'
import type { Prng } from './prng.ts'

export interface DemoContext {
  rnd: Prng
  users: Array<{ sysId: string; userName: string }>
  groupIds: string[]
  serverIds: string[]
  /** when records are dated, as "YYYY-MM-DD HH:mm:ss" */
  when: () => string
  load: (table: string, rows: RecordValues[]) => string[]
}

const ADMIN_ROLES = ['admin', 'user_admin', 'security_admin', 'catalog_admin']
const OTHER_ROLES = ['itil', 'knowledge', 'asset', 'approver_user', 'report_user']
const SYSLOG_ROWS = 720
const SOURCES = ['Evaluator', 'SYSTEM', 'RESTAPI', 'Discovery', 'Scheduler', 'Email']

/** loads the demo records through `ctx.load` (which counts them) */
export function seedDemo(emulator: ServiceNowEmulator, ctx: DemoContext): void {
  const { rnd, users, groupIds, serverIds, when, load } = ctx

  // a dozen administrators besides admin itself, and the itil role for every seeded user
  const admins = users.slice(0, Math.min(12, users.length))
  for (const u of admins) emulator.users.grant(u.userName, 'admin')
  // roles held by groups: three groups with an admin-like role, the rest with others
  for (const role of [...ADMIN_ROLES, ...OTHER_ROLES]) emulator.users.ensureRole(role)
  const groupRoles: RecordValues[] = groupIds.map((group, i) => ({
    group,
    role: emulator.users.roleId(i < 3 ? (ADMIN_ROLES[i] as string) : (OTHER_ROLES[i % OTHER_ROLES.length] as string)),
    inherits: 'true',
  }))
  load('sys_group_has_role', groupRoles)

  const userId = () => rnd.pick(users).sysId
  const problemIds = load(
    'problem',
    Array.from({ length: 12 }, (_, i) => {
      const opened = when()
      const impact = String(1 + rnd.int(3))
      const urgency = String(1 + rnd.int(3))
      return {
        short_description: `${rnd.pick(['Recurring', 'Intermittent', 'Widespread'])} ${rnd.pick(['login failures', 'slow queries', 'disk saturation', 'VPN drops'])} ${i + 1}`,
        state: rnd.pick(['101', '102', '103', '104', '106', '107']),
        impact,
        urgency,
        priority: String(Math.min(5, Number(impact) + Number(urgency) - 1)),
        opened_at: opened,
        opened_by: userId(),
        assigned_to: userId(),
        assignment_group: rnd.pick(groupIds),
        sys_created_on: opened,
        sys_updated_on: opened,
      }
    }),
  )
  const changeIds = load(
    'change_request',
    Array.from({ length: 12 }, (_, i) => {
      const opened = when()
      return {
        short_description: `${rnd.pick(['Patch', 'Upgrade', 'Decommission', 'Reboot'])} ${rnd.pick(['database cluster', 'web tier', 'mail relay', 'ERP'])} ${i + 1}`,
        type: rnd.pick(['standard', 'normal', 'emergency']),
        state: rnd.pick(['-5', '-4', '-3', '-2', '-1', '0', '3']),
        risk: rnd.pick(['2', '3', '4']),
        requested_by: userId(),
        assignment_group: rnd.pick(groupIds),
        cmdb_ci: serverIds.length > 0 ? rnd.pick(serverIds) : '',
        opened_at: opened,
        opened_by: userId(),
        sys_created_on: opened,
        sys_updated_on: opened,
      }
    }),
  )
  const incidents = Array.from({ length: 30 }, (_, i) => {
    const opened = when()
    const state = rnd.pick(['1', '2', '3', '6', '7'])
    const impact = String(1 + rnd.int(3))
    const urgency = String(1 + rnd.int(3))
    return {
      short_description: `${rnd.pick(['Email not syncing', 'Printer offline', 'Password reset', 'Laptop slow', 'Network drop'])} (${i + 1})`,
      caller_id: userId(),
      opened_by: userId(),
      opened_at: opened,
      state,
      incident_state: state,
      impact,
      urgency,
      priority: String(Math.min(5, Number(impact) + Number(urgency) - 1)),
      active: state === '7' ? 'false' : 'true',
      category: rnd.pick(['software', 'hardware', 'network', 'inquiry']),
      assignment_group: rnd.pick(groupIds),
      problem_id: rnd.chance(0.3) ? rnd.pick(problemIds) : '',
      rfc: rnd.chance(0.2) ? rnd.pick(changeIds) : '',
      sys_created_on: opened,
      sys_updated_on: opened,
    }
  })
  load('incident', incidents)

  const rules = ['incident', 'problem', 'change_request', 'sys_user', 'cmdb_ci'].flatMap((table) =>
    ['before', 'after', 'async', 'display'].map((whenRuns) => ({
      name: `${table} ${whenRuns} rule`,
      sys_name: `${table} ${whenRuns} rule`,
      collection: table,
      when: whenRuns,
      active: rnd.chance(0.85) ? 'true' : 'false',
      order: String(100 * (1 + rnd.int(10))),
      action_insert: 'true',
      action_update: rnd.chance(0.5) ? 'true' : 'false',
      sys_scope: 'global',
      sys_policy: '',
      description: `Demo business rule on ${table}`,
      script: '(function executeRule(current, previous) {\n})(current, previous);',
    })),
  )
  load('sys_script', rules)
  load(
    'alm_asset',
    serverIds.slice(0, 40).map((ci, i) => ({
      display_name: `Server asset ${i + 1}`,
      asset_tag: `P${String(100000 + i)}`,
      ci,
      assigned_to: userId(),
      install_status: '1',
    })),
  )

  const logStart = Date.parse(`${when().replace(' ', 'T')}Z`)
  const logs: RecordValues[] = []
  for (let i = 0; i < SYSLOG_ROWS; i++) {
    const at = formatGlideDateTime(new Date(logStart + i * 61_000))
    logs.push({
      level: rnd.pick(['0', '0', '0', '1', '2', '-1']),
      source: rnd.pick(SOURCES),
      message: `${rnd.pick(['Started', 'Finished', 'Skipped', 'Retried'])} job ${1 + rnd.int(500)}`,
      sys_created_on: at,
      sys_updated_on: at,
    })
  }
  load('syslog', logs)
}
