import { test } from 'tap'
import {
  DYNAMIC_ME,
  fieldsOfQuery,
  parseEncodedQuery,
  matchesEncodedQuery as matches,
  type EvaluationContext,
  type ServiceNowRecord,
} from '../../../connectors/servicenow/encoded-query/index.ts'

const incident: ServiceNowRecord = {
  sys_id: 'a1',
  number: 'INC0010001',
  active: 'true',
  priority: '2',
  state: '10',
  short_description: 'SAP outage in Zürich',
  description: 'SAP outage in Zürich',
  category: 'network',
  assigned_to: 'u1',
  caller_id: 'u2',
  assignment_group: '',
  reassignment_count: '3',
  reopen_count: '1',
  sys_class_name: 'incident',
  opened_at: '2024-03-10 08:30:00',
  sla_due: '2024-03-11 17:00:00',
  activity_due: '2024-03-11 09:00:00',
  made_sla: 'true',
}

/** Which of these queries match `record`. */
function matching(queries: string[], record: ServiceNowRecord, ctx?: EvaluationContext): string[] {
  return queries.filter((q) => matches(q, record, ctx))
}

test('= and != (numeric, text case-insensitive, NULL, empty like SQL NULL)', async (t) => {
  t.same(
    matching(
      [
        'priority=2',
        'priority=2.0',
        'priority=02',
        'priority=3',
        'category=NETWORK',
        'assignment_group=',
        'assignment_group=NULL',
        'assigned_to=NULL',
        'priority!=3',
        'priority!=2',
        'assignment_group!=x',
        'assignment_group!=NULL',
        'assigned_to!=NULL',
        'category!=Network',
      ],
      incident,
    ),
    [
      'priority=2',
      'priority=2.0',
      'priority=02',
      'category=NETWORK',
      'assignment_group=',
      'assignment_group=NULL',
      'priority!=3',
      'assigned_to!=NULL',
    ],
  )
  // D-OPS: boolean "is not true" also matches empty; string "is not" never matches empty (KB0715430)
  t.ok(matches('active!=true', { active: '' }))
  t.ok(matches('active!=true', { active: 'false' }))
  t.notOk(matches('active!=true', { active: 'true' }))
  t.notOk(matches('name!=x', { name: '' }))
  t.ok(matches('name!=x', { name: '' }, { fieldType: () => 'boolean' }))
  t.notOk(matches('flag!=true', { flag: '' }, { fieldType: () => 'string' }))
})

test('< <= > >= compare numbers numerically, date-times chronologically, text by text', async (t) => {
  const r = { n: '10', d: '2024-03-10 08:30:00', s: 'mango', e: '' }
  t.same(
    matching(['n>9', 'n<9', 'n>=10', 'n<=10', 'n>10', 'n<100', 'n>-1', 'n>1e1'], r),
    ['n>9', 'n>=10', 'n<=10', 'n<100', 'n>-1'],
    'numeric where both sides are numbers; "1e1" is not a number, so "10" > "1e1" compares as text (false)',
  )
  t.same(
    matching(
      ['d>2024-03-10', 'd<2024-03-10 08:30:01', 'd>=2024-03-10 08:30:00', 'd<2024-03-09', 'd>2024-03-10 09:00:00'],
      r,
    ),
    ['d>2024-03-10', 'd<2024-03-10 08:30:01', 'd>=2024-03-10 08:30:00'],
  )
  t.same(matching(['s>lemon', 's<Nectarine', 's<=s', 's>=MANGO', 's>z'], r), [
    's>lemon',
    's<Nectarine',
    's<=s',
    's>=MANGO',
  ])
  t.same(matching(['e<z', 'e>a', 'e<=', 'e>='], r), [], 'an empty value never satisfies an ordering comparison')
  // 32-digit numeric ids must not collapse under float rounding
  t.ok(matches('sys_id>12345678901234567890123456789011', { sys_id: '12345678901234567890123456789012' }))
  t.notOk(matches('sys_id=12345678901234567890123456789011', { sys_id: '12345678901234567890123456789012' }))
})

test('IN / NOT IN split on commas only, no trimming', async (t) => {
  const r = { status: 'partially normalized', state: '2', empty: '' }
  t.same(
    matching(
      [
        'statusINmanually normalized,normalized,partially normalized',
        'statusINnormalized, partially normalized',
        'stateIN1,2,3',
        'stateNOT IN1,3',
        'stateNOT IN2',
        'emptyNOT IN1',
        'emptyIN1,',
      ],
      r,
    ),
    ['statusINmanually normalized,normalized,partially normalized', 'stateIN1,2,3', 'stateNOT IN1,3'],
  )
})

test('LIKE / NOT LIKE / STARTSWITH / ENDSWITH: case- and accent-insensitive by default', async (t) => {
  t.same(
    matching(
      [
        'short_descriptionLIKEoutage',
        'short_descriptionLIKEOUTAGE',
        'short_descriptionLIKEzurich',
        'short_descriptionLIKEberlin',
        'short_descriptionNOT LIKEberlin',
        'short_descriptionNOT LIKEsap',
        'short_descriptionSTARTSWITHsap',
        'short_descriptionSTARTSWITHoutage',
        'short_descriptionENDSWITHZÜRICH',
        'short_descriptionENDSWITHSAP',
        'assignment_groupNOT LIKEx',
        'assignment_groupLIKE',
      ],
      incident,
    ),
    [
      'short_descriptionLIKEoutage',
      'short_descriptionLIKEOUTAGE',
      'short_descriptionLIKEzurich',
      'short_descriptionNOT LIKEberlin',
      'short_descriptionSTARTSWITHsap',
      'short_descriptionENDSWITHZÜRICH',
    ],
  )
  const cs = { caseSensitive: true }
  t.notOk(matches('short_descriptionLIKEoutage', { short_description: 'OUTAGE' }, cs))
  t.notOk(matches('name=abc', { name: 'ABC' }, cs))
  t.notOk(matches('name=zurich', { name: 'Zürich' }, cs))
  t.ok(matches('name=ABC', { name: 'ABC' }, cs))
})

test('ISEMPTY / ISNOTEMPTY / EMPTYSTRING / ANYTHING', async (t) => {
  t.same(
    matching(
      [
        'assignment_groupISEMPTY',
        'assigned_toISEMPTY',
        'assigned_toISNOTEMPTY',
        'assignment_groupISNOTEMPTY',
        'assignment_groupEMPTYSTRING',
        'assigned_toEMPTYSTRING',
        'assignment_groupANYTHING',
        'assigned_toANYTHING',
      ],
      incident,
    ),
    [
      'assignment_groupISEMPTY',
      'assigned_toISNOTEMPTY',
      'assignment_groupEMPTYSTRING',
      'assignment_groupANYTHING',
      'assigned_toANYTHING',
    ],
  )
})

test('BETWEEN is inclusive on numbers, dates and text', async (t) => {
  t.same(
    matching(
      [
        'priorityBETWEEN1@3',
        'priorityBETWEEN2@2',
        'priorityBETWEEN3@9',
        'opened_atBETWEEN2024-03-10@2024-03-10 08:30:00',
        'opened_atBETWEEN2024-03-11@2024-03-12',
        'categoryBETWEENm@o',
        'assignment_groupBETWEENa@z',
      ],
      incident,
    ),
    [
      'priorityBETWEEN1@3',
      'priorityBETWEEN2@2',
      'opened_atBETWEEN2024-03-10@2024-03-10 08:30:00',
      'categoryBETWEENm@o',
    ],
  )
})

test('field-to-field: SAMEAS, NSAMEAS (with date granularity), GT_FIELD and friends', async (t) => {
  t.same(
    matching(
      [
        'short_descriptionSAMEASdescription',
        'short_descriptionNSAMEASdescription',
        'sla_dueSAMEASactivity_due',
        'sla_dueSAMEASactivity_due@day',
        'sla_dueNSAMEASactivity_due@hour',
        'reassignment_countGT_FIELDreopen_count',
        'reassignment_countLT_FIELDreopen_count',
        'reassignment_countGT_OR_EQUALS_FIELDreassignment_count',
        'reassignment_countLT_OR_EQUALS_FIELDreopen_count',
        'assignment_groupSAMEASassignment_group',
        'assignment_groupNSAMEAScategory',
      ],
      incident,
    ),
    [
      'short_descriptionSAMEASdescription',
      'sla_dueSAMEASactivity_due@day',
      'sla_dueNSAMEASactivity_due@hour',
      'reassignment_countGT_FIELDreopen_count',
      'reassignment_countGT_OR_EQUALS_FIELDreassignment_count',
    ],
    'empty values are neither same nor different (KB0715430)',
  )
})

test('precedence evaluated: a^b^ORc = a AND (b OR c); ^NQ ORs whole groups', async (t) => {
  const r = { a: '1', b: '0', c: '1', d: '0' }
  t.ok(matches('a=1^b=1^ORc=1', r))
  t.notOk(matches('a=0^b=1^ORc=1', r), 'not (a AND b) OR c')
  t.ok(matches('b=1^ORc=1^a=1', r))
  t.notOk(matches('b=1^ORd=1^a=1', r))
  t.ok(matches('b=1^d=1^NQa=1^c=1', r))
  t.notOk(matches('b=1^a=1^NQd=1^c=1', r))
  t.ok(matches('b=1^NQd=1^NQc=1', r))
  t.ok(matches('', r), 'the empty query matches everything')
  t.ok(matches('ORDERBYa', r))
})

test('dot-walking through references via ctx.deref, and flat dot-walked keys', async (t) => {
  const users: Record<string, ServiceNowRecord> = {
    u1: { sys_id: 'u1', name: 'Beth Anglin', department: 'd1', manager: '' },
    u2: { sys_id: 'u2', name: 'Abel Tuter', department: 'gone', manager: 'u1' },
  }
  const departments: Record<string, ServiceNowRecord> = { d1: { sys_id: 'd1', name: 'IT' } }
  const refs: Record<string, string> = {
    'incident.assigned_to': 'sys_user',
    'incident.caller_id': 'sys_user',
    'sys_user.department': 'cmn_department',
    'sys_user.manager': 'sys_user',
  }
  const calls: string[] = []
  const ctx: EvaluationContext = {
    table: 'incident',
    referenceTableOf: (table, field) => refs[`${table}.${field}`],
    deref(table, field, value) {
      calls.push(`${table}.${field}=${value}`)
      const target = refs[`${table}.${field}`]
      return target === 'sys_user' ? users[value] : target === 'cmn_department' ? departments[value] : undefined
    },
  }
  t.ok(matches('assigned_to.department.name=IT', incident, ctx))
  t.same(calls, ['incident.assigned_to=u1', 'sys_user.department=d1'], 'each step knows its table')
  t.ok(matches('assigned_to.nameSTARTSWITHbeth', incident, ctx))
  t.ok(matches('caller_id.manager.name=Beth Anglin', incident, ctx))
  t.ok(matches('caller_id.department.nameISEMPTY', incident, ctx), 'a dangling reference reads as empty')
  t.ok(matches('assignment_group.nameISEMPTY', incident, ctx), 'an empty reference reads as empty')
  t.notOk(matches('assigned_to.department.name=HR', incident, ctx))
  t.ok(
    matches('assigned_to.nosuchfield=1^priority=2', incident, ctx),
    'unknown field on the referenced table is dropped',
  )
  t.ok(
    matches('assigned_to.name=Flat Value', { assigned_to: 'u1', 'assigned_to.name': 'Flat Value' }),
    'flat key wins, no deref needed',
  )
  t.throws(() => matches('assigned_to.name=Beth Anglin', incident), { code: 'CW_SN_QUERY_UNSUPPORTED' })
})

test('unknown fields are dropped by default; strict mode returns no rows', async (t) => {
  const strict = { invalidQueryReturnsNoRows: true }
  // PySNC live test: sys_id=<admin>^second=asdf returns the admin row
  t.ok(matches('sys_id=a1^second=asdf', incident))
  t.notOk(matches('sys_id=a1^second=asdf', incident, strict))
  t.notOk(matches('sys_id=zz^second=asdf', incident))
  t.ok(matches('bogus=1', incident), 'everything dropped: the whole table')
  t.ok(matches('priority=9^ORbogus=1^active=true', {}), 'all fields unknown on an empty record')
  t.notOk(matches('priority=9^ORbogus=1', incident), 'the unknown term leaves the OR clause')
  t.notOk(matches('bogus=1^NQpriority=9', incident), 'a dropped group leaves the ^NQ')
  t.ok(matches('bogus=1^NQpriority=2', incident))
  t.notOk(matches('priority=2^NQbogus=1', incident, strict), 'strict: even a short-circuited unknown field')
  t.notOk(matches('priority=2^short_descriptionSAMEASbogus', incident, strict))
  t.ok(matches('priority=2^short_descriptionSAMEASbogus', incident))
  t.ok(matches('bogus=1', incident, { hasField: (_t, f) => f !== 'bogus' }))
  t.notOk(matches('priority=1', { priority: '2' }, { hasField: () => true, invalidQueryReturnsNoRows: true }))
})

test('INSTANCEOF through ctx.isInstanceOf', async (t) => {
  const parents: Record<string, string> = { cmdb_ci_linux_server: 'cmdb_ci_server', cmdb_ci_server: 'cmdb_ci' }
  const ctx: EvaluationContext = {
    isInstanceOf(cls, ancestor) {
      for (let c: string | undefined = cls; c !== undefined; c = parents[c]) if (c === ancestor) return true
      return false
    },
  }
  const server = { sys_class_name: 'cmdb_ci_linux_server' }
  t.ok(matches('sys_class_nameINSTANCEOFcmdb_ci_server', server, ctx))
  t.ok(matches('sys_class_nameINSTANCEOFcmdb_ci', server, ctx))
  t.notOk(matches('sys_class_nameINSTANCEOFcmdb_ci_win_server', server, ctx))
  t.throws(() => matches('sys_class_nameINSTANCEOFcmdb_ci', server), { code: 'CW_SN_QUERY_UNSUPPORTED' })
})

test('DYNAMIC: "Me" from userSysId, others via resolveDynamic', async (t) => {
  t.ok(matches(`assigned_toDYNAMIC${DYNAMIC_ME}`, incident, { userSysId: 'u1' }))
  t.notOk(matches(`assigned_toDYNAMIC${DYNAMIC_ME}`, incident, { userSysId: 'u9' }))
  t.ok(
    matches('assigned_toDYNAMICabc', incident, { resolveDynamic: (id) => (id === 'abc' ? ['u7', 'u1'] : undefined) }),
  )
  t.throws(() => matches('assigned_toDYNAMICabc', incident, { userSysId: 'u1' }), { code: 'CW_SN_QUERY_UNSUPPORTED' })
})

test('VALCHANGES / CHANGESFROM / CHANGESTO against ctx.previous', async (t) => {
  const previous = { ...incident, state: '2' }
  t.same(
    matching(
      [
        'stateVALCHANGES',
        'priorityVALCHANGES',
        'stateCHANGESFROM2',
        'stateCHANGESFROM1',
        'stateCHANGESTO10',
        'priorityCHANGESTO2',
      ],
      incident,
      { previous },
    ),
    ['stateVALCHANGES', 'stateCHANGESFROM2', 'stateCHANGESTO10'],
  )
  t.throws(() => matches('stateVALCHANGES', incident), { code: 'CW_SN_QUERY_UNSUPPORTED', message: /ctx.previous/ })
})

test('relative dates and javascript:gs date values, evaluated in UTC against ctx.now', async (t) => {
  const now = new Date('2024-03-11T12:00:00Z')
  const ctx = { now }
  const r = { at: '2024-03-11 11:30:00', old: '2024-03-01 00:00:00', empty: '' }
  t.same(
    matching(
      [
        'atRELATIVEGT@hour@ago@1',
        'atRELATIVELT@hour@ago@1',
        'oldRELATIVELT@day@ago@7',
        'oldRELATIVEGE@month@ago@1',
        'atRELATIVEEE@day@ago@0',
        'oldRELATIVEEE@day@ago@10',
        'atRELATIVELE@minute@ahead@0',
        'emptyRELATIVELT@day@ahead@1',
      ],
      r,
      ctx,
    ),
    [
      'atRELATIVEGT@hour@ago@1',
      'oldRELATIVELT@day@ago@7',
      'oldRELATIVEGE@month@ago@1',
      'atRELATIVEEE@day@ago@0',
      'oldRELATIVEEE@day@ago@10',
      'atRELATIVELE@minute@ahead@0',
    ],
  )
  t.same(
    matching(
      [
        'atONToday@javascript:gs.daysAgoStart(0)@javascript:gs.daysAgoEnd(0)',
        'oldONToday@javascript:gs.daysAgoStart(0)@javascript:gs.daysAgoEnd(0)',
        'oldNOTONToday@javascript:gs.beginningOfToday()@javascript:gs.endOfToday()',
        "oldON2024-03-01@javascript:gs.dateGenerate('2024-03-01','start')@javascript:gs.dateGenerate('2024-03-01','end')",
        'at>=javascript:gs.beginningOfThisWeek()',
        'old>=javascript:gs.beginningOfThisWeek()',
        'old>=javascript:gs.beginningOfLastMonth()',
        'at<javascript:gs.hoursAgo(1)',
        'at>javascript:gs.minutesAgo(31)',
        'oldBETWEENjavascript:gs.daysAgoStart(10)@javascript:gs.daysAgoEnd(10)',
        'at<=javascript:gs.nowDateTime()',
      ],
      r,
      ctx,
    ),
    [
      'atONToday@javascript:gs.daysAgoStart(0)@javascript:gs.daysAgoEnd(0)',
      'oldNOTONToday@javascript:gs.beginningOfToday()@javascript:gs.endOfToday()',
      "oldON2024-03-01@javascript:gs.dateGenerate('2024-03-01','start')@javascript:gs.dateGenerate('2024-03-01','end')",
      'at>=javascript:gs.beginningOfThisWeek()',
      'old>=javascript:gs.beginningOfLastMonth()',
      'at>javascript:gs.minutesAgo(31)',
      'oldBETWEENjavascript:gs.daysAgoStart(10)@javascript:gs.daysAgoEnd(10)',
      'at<=javascript:gs.nowDateTime()',
    ],
  )
  t.ok(matches('assigned_to=javascript:gs.getUserID()', incident, { userSysId: 'u1' }))
  t.throws(() => matches('at>javascript:new GlideDateTime()', r, ctx), { code: 'CW_SN_QUERY_UNSUPPORTED' })
  t.throws(() => matches('assigned_toINjavascript:getMyGroups()', incident), { code: 'CW_SN_QUERY_UNSUPPORTED' })
})

test('parsed-only operators and special terms raise CW_SN_QUERY_UNSUPPORTED, never guess, whatever the record', async (t) => {
  for (const q of [
    // refused even where an ^OR would short-circuit past them for this record
    'priority=2^ORstateVALCHANGES',
    'priority=2^ORsys_class_nameINSTANCEOFtask',
    'priority=2^ORatRELATIVEEE@week@ago@1',
    'priority=9^NQ123TEXTQUERY321=x',
    'priority=2^ORassigned_toINjavascript:getMyGroups()',
    'priority=2^ORopened_atBETWEENjavascript:gs.daysAgoStart(1)@javascript:gs.fortnightAgo()',
    'priority=2^ORassigned_to=javascript:gs.getUserID()',
    "sla_dueDATEPARTMonday@javascript:gs.datePart('dayofweek','monday','GE')",
    'sla_dueMORETHANactivity_due@day@before@1',
    'managerIN_HIERARCHYa@b',
    'nameMATCH_RGXa.*',
    'RLQUERYincident.problem_id,>=1^ENDRLQUERY',
    '123TEXTQUERY321=email',
  ]) {
    t.throws(() => matches(q, incident), { code: 'CW_SN_QUERY_UNSUPPORTED', statusCode: 422 }, q)
  }
})

test('with ctx.fieldType the column type decides: text columns compare as text, dot-walks use the target column', async (t) => {
  const types: Record<string, string> = {
    'incident.code': 'string',
    'incident.count': 'integer',
    'incident.sys_id': 'GUID',
    'incident.when': 'glide_date_time',
    'sys_user.rank': 'string',
  }
  const ctx: EvaluationContext = {
    table: 'incident',
    fieldType: (table, field) => types[`${table}.${field}`],
    referenceTableOf: (table, field) => (table === 'incident' && field === 'caller' ? 'sys_user' : undefined),
    deref: (_table, _field, value) => (value === 'u1' ? { rank: '10' } : undefined),
  }
  const r = { code: '10', count: '10', sys_id: '0010', when: '2024-03-10 08:30:00', caller: 'u1' }
  t.same(
    matching(
      [
        'code>9',
        'count>9',
        'code=10.0',
        'count=10.0',
        'sys_id=10',
        'caller.rank>9',
        'caller.rank<9',
        'when>2024-03-10',
      ],
      r,
      ctx,
    ),
    ['count>9', 'count=10.0', 'caller.rank<9', 'when>2024-03-10'],
  )
  t.same(matching(['code>9', 'sys_id=10'], r), ['code>9', 'sys_id=10'], 'without types the values decide')
})

test('LIKE family on a reference matches its display value when ctx.displayValue is given', async (t) => {
  const names: Record<string, string> = { u1: 'Beth Anglin', u2: 'Abel Tuter' }
  const ctx: EvaluationContext = {
    table: 'incident',
    fieldType: (_t, field) => (field === 'caller_id' ? 'reference' : 'string'),
    displayValue: (table, field, value) => (table === 'incident' && field === 'caller_id' ? names[value] : undefined),
  }
  t.same(
    matching(
      [
        'caller_idLIKEabel',
        'caller_idSTARTSWITHabel',
        'caller_idENDSWITHtuter',
        'caller_idNOT LIKEbeth',
        'caller_idLIKEu2',
        'caller_id=u2',
      ],
      incident,
      ctx,
    ),
    ['caller_idLIKEabel', 'caller_idSTARTSWITHabel', 'caller_idENDSWITHtuter', 'caller_idNOT LIKEbeth', 'caller_id=u2'],
    '= still compares the sys_id',
  )
  t.ok(matches('caller_idLIKEu2', incident), 'without the hook the stored sys_id is matched')
})

test('RLQUERY and JOIN are evaluated through ctx.countRelated', async (t) => {
  const problems = [
    { sys_id: 'p1', problem_id: '' },
    { sys_id: 'p2', problem_id: '' },
  ]
  const incidents = [
    { sys_id: 'i1', problem_id: 'p1', active: 'true' },
    { sys_id: 'i2', problem_id: 'p1', active: 'false' },
    { sys_id: 'i3', problem_id: 'p2', active: 'false' },
  ]
  const asked: string[] = []
  const ctx: EvaluationContext = {
    table: 'problem',
    countRelated: (table, field, value, query) => {
      asked.push(`${table}.${field}=${value}`)
      t.equal(table, 'incident')
      return incidents.filter((i) => i[field as 'problem_id'] === value && matches(query, i)).length
    },
  }
  const active = 'RLQUERYincident.problem_id,>=1^active=true^ENDRLQUERY'
  t.same(
    problems.filter((p) => matches(active, p, ctx)).map((p) => p.sys_id),
    ['p1'],
  )
  t.same(
    problems.filter((p) => matches('RLQUERYincident.problem_id,=2^ENDRLQUERY', p, ctx)).map((p) => p.sys_id),
    ['p1'],
  )
  const join = 'JOINproblem.sys_id=incident.problem_id!active=false'
  t.same(
    problems.filter((p) => matches(join, p, ctx)).map((p) => p.sys_id),
    ['p1', 'p2'],
  )
  t.ok(asked.includes('incident.problem_id=p2'))
  t.throws(() => matches('RLQUERYincident,>1^ENDRLQUERY', problems[0] as Record<string, string>, ctx), {
    code: 'CW_SN_QUERY_INVALID',
  })
  t.throws(() => matches('JOINproblem.sys_id', problems[0] as Record<string, string>, ctx), {
    code: 'CW_SN_QUERY_INVALID',
  })
  t.same(fieldsOfQuery(parseEncodedQuery(`${active}^${join}`)), ['sys_id'], 'the record fields they read')
})
