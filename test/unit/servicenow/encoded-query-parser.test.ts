import { test } from 'tap'
import {
  EncodedQueryError,
  fieldsOfQuery,
  parseEncodedQuery,
  printEncodedQuery,
  type Condition,
  type EncodedQuery,
} from '../../../connectors/servicenow/encoded-query/index.ts'

const cond = (field: string, operator: Condition['operator'], value = ''): Condition => ({
  kind: 'condition',
  field,
  operator,
  value,
})

/** The structure as nested arrays: groups -> clauses -> "field op value" strings. */
function shape(q: EncodedQuery): string[][][] {
  return q.groups.map((g) =>
    g.clauses.map((c) => c.terms.map((t) => (t.kind === 'condition' ? `${t.field} ${t.operator} ${t.value}` : t.type))),
  )
}

function errorOf(text: string): EncodedQueryError {
  try {
    parseEncodedQuery(text)
  } catch (err) {
    if (err instanceof EncodedQueryError) return err
    throw err
  }
  throw new Error(`expected "${text}" to be rejected`)
}

test('precedence: ^OR binds its neighbours, ^ is AND, ^NQ ORs whole groups', async (t) => {
  t.same(shape(parseEncodedQuery('a=1^b=2^ORc=3')), [[['a = 1'], ['b = 2', 'c = 3']]])
  t.same(shape(parseEncodedQuery('a=1^ORb=2^c=3')), [[['a = 1', 'b = 2'], ['c = 3']]])
  t.same(shape(parseEncodedQuery('a=1^ORb=2^ORc=3')), [[['a = 1', 'b = 2', 'c = 3']]])
  t.same(shape(parseEncodedQuery('a=1^b=2^NQc=3^d=4')), [
    [['a = 1'], ['b = 2']],
    [['c = 3'], ['d = 4']],
  ])
  t.same(shape(parseEncodedQuery('a=1^ORb=2^NQc=3^ORd=4^e=5')), [[['a = 1', 'b = 2']], [['c = 3', 'd = 4'], ['e = 5']]])
})

test('every operator of the inventory parses, aliases normalise', async (t) => {
  const cases: [string, Condition][] = [
    ['state=1', cond('state', '=', '1')],
    ['state!=6', cond('state', '!=', '6')],
    ['priority<3', cond('priority', '<', '3')],
    ['priority<=2', cond('priority', '<=', '2')],
    ['priority>2', cond('priority', '>', '2')],
    ['priority>=2', cond('priority', '>=', '2')],
    ['statusINmanually normalized,normalized', cond('status', 'IN', 'manually normalized,normalized')],
    ['subcategoryNOT INdb2,sql server', cond('subcategory', 'NOT IN', 'db2,sql server')],
    ['short_descriptionLIKESAP', cond('short_description', 'LIKE', 'SAP')],
    ['short_descriptionNOT LIKESAP', cond('short_description', 'NOT LIKE', 'SAP')],
    ['short_descriptionNOTLIKESAP', cond('short_description', 'NOT LIKE', 'SAP')],
    ['short_description!*SAP', cond('short_description', 'NOT LIKE', 'SAP')],
    ['short_description*SAP', cond('short_description', 'LIKE', 'SAP')],
    ['short_descriptionCONTAINSSAP', cond('short_description', 'LIKE', 'SAP')],
    ['short_descriptionDOES NOT CONTAINSAP', cond('short_description', 'NOT LIKE', 'SAP')],
    ['numberSTARTSWITHINC', cond('number', 'STARTSWITH', 'INC')],
    ['short_descriptionENDSWITHoutage', cond('short_description', 'ENDSWITH', 'outage')],
    ['short_description%outage', cond('short_description', 'ENDSWITH', 'outage')],
    ['assigned_toISEMPTY', cond('assigned_to', 'ISEMPTY')],
    ['assigned_toISNOTEMPTY', cond('assigned_to', 'ISNOTEMPTY')],
    ['impactEMPTY', cond('impact', 'ISEMPTY')],
    ['impactNOTEMPTY', cond('impact', 'ISNOTEMPTY')],
    ['short_descriptionEMPTYSTRING', cond('short_description', 'EMPTYSTRING')],
    ['caller_idANYTHING', cond('caller_id', 'ANYTHING')],
    ['priorityBETWEEN1@3', cond('priority', 'BETWEEN', '1@3')],
    ['short_descriptionSAMEASdescription', cond('short_description', 'SAMEAS', 'description')],
    ['sla_dueNSAMEASactivity_due@day', cond('sla_due', 'NSAMEAS', 'activity_due@day')],
    ['reassignment_countGT_FIELDreopen_count', cond('reassignment_count', 'GT_FIELD', 'reopen_count')],
    [
      'reassignment_countLT_OR_EQUALS_FIELDreopen_count',
      cond('reassignment_count', 'LT_OR_EQUALS_FIELD', 'reopen_count'),
    ],
    ['sys_class_nameINSTANCEOFcmdb_ci_server', cond('sys_class_name', 'INSTANCEOF', 'cmdb_ci_server')],
    [
      'assigned_toDYNAMIC90d1921e5f510100a9ad2572f2b477fe',
      cond('assigned_to', 'DYNAMIC', '90d1921e5f510100a9ad2572f2b477fe'),
    ],
    ['stateVALCHANGES', cond('state', 'VALCHANGES')],
    ['stateCHANGESFROM4', cond('state', 'CHANGESFROM', '4')],
    ['stateCHANGESTO4', cond('state', 'CHANGESTO', '4')],
    [
      'sla_dueONToday@javascript:gs.daysAgoStart(0)@javascript:gs.daysAgoEnd(0)',
      cond('sla_due', 'ON', 'Today@javascript:gs.daysAgoStart(0)@javascript:gs.daysAgoEnd(0)'),
    ],
    [
      'sla_dueNOTONToday@javascript:gs.daysAgoStart(0)@javascript:gs.daysAgoEnd(0)',
      cond('sla_due', 'NOTON', 'Today@javascript:gs.daysAgoStart(0)@javascript:gs.daysAgoEnd(0)'),
    ],
    ['sla_dueRELATIVEGT@hour@ago@1', cond('sla_due', 'RELATIVEGT', '@hour@ago@1')],
    ['sla_dueRELATIVELT@day@ahead@3', cond('sla_due', 'RELATIVELT', '@day@ahead@3')],
    ['sla_dueRELATIVEEE@month@ago@0', cond('sla_due', 'RELATIVEEE', '@month@ago@0')],
    [
      "sla_dueDATEPARTMonday@javascript:gs.datePart('dayofweek','monday','GE')",
      cond('sla_due', 'DATEPART', "Monday@javascript:gs.datePart('dayofweek','monday','GE')"),
    ],
    ['sla_dueMORETHANactivity_due@day@before@1', cond('sla_due', 'MORETHAN', 'activity_due@day@before@1')],
    [
      'managerIN_HIERARCHYfdd0fa0f93f5d2505bd0bd886cba1015@9ee1b13dc6112271007f9d0efdb69cd0',
      cond('manager', 'IN_HIERARCHY', 'fdd0fa0f93f5d2505bd0bd886cba1015@9ee1b13dc6112271007f9d0efdb69cd0'),
    ],
  ]
  for (const [text, expected] of cases) {
    const q = parseEncodedQuery(text)
    t.same(q.groups[0]?.clauses[0]?.terms, [expected], text)
  }
})

test('longest operator wins and operator text inside values is kept verbatim', async (t) => {
  t.same(parseEncodedQuery('stateINPROGRESS').groups[0]?.clauses[0]?.terms[0], cond('state', 'IN', 'PROGRESS'))
  t.same(parseEncodedQuery('descriptionLIKEa=b').groups[0]?.clauses[0]?.terms[0], cond('description', 'LIKE', 'a=b'))
  t.same(parseEncodedQuery('name=a b  c ').groups[0]?.clauses[0]?.terms[0], cond('name', '=', 'a b  c '))
  t.same(parseEncodedQuery('name==x').groups[0]?.clauses[0]?.terms[0], cond('name', '=', '=x'))
  t.same(parseEncodedQuery('assignment_group=').groups[0]?.clauses[0]?.terms[0], cond('assignment_group', '=', ''))
})

test('dot-walked fields keep their path', async (t) => {
  const q = parseEncodedQuery('assigned_to.department.nameSTARTSWITHIT^caller_id.emailLIKE@example.com')
  t.same(shape(q), [[['assigned_to.department.name STARTSWITH IT'], ['caller_id.email LIKE @example.com']]])
})

test('ORDERBY / ORDERBYDESC / GROUPBY are collected in order wherever they stand', async (t) => {
  const q = parseEncodedQuery('ORDERBYsys_updated_on^active=true^ORDERBYDESCpriority^GROUPBYstate^ORDERBYsys_id')
  t.same(q.orderBy, [
    { field: 'sys_updated_on', descending: false },
    { field: 'priority', descending: true },
    { field: 'sys_id', descending: false },
  ])
  t.same(q.groupBy, ['state'])
  t.same(shape(q), [[['active = true']]])
  t.equal(printEncodedQuery(q), 'active=true^ORDERBYsys_updated_on^ORDERBYDESCpriority^ORDERBYsys_id^GROUPBYstate')
  const keyset = parseEncodedQuery('active=true^sys_id>0f3a^ORDERBYsys_id')
  t.same(shape(keyset), [[['active = true'], ['sys_id > 0f3a']]])
  t.same(parseEncodedQuery('ORDERBYsys_id'), {
    groups: [],
    orderBy: [{ field: 'sys_id', descending: false }],
    groupBy: [],
  })
})

test('^EQ, empty terms and the empty query', async (t) => {
  t.same(parseEncodedQuery(''), { groups: [], orderBy: [], groupBy: [] })
  t.same(shape(parseEncodedQuery('active=true^EQ')), [[['active = true']]])
  t.same(shape(parseEncodedQuery('^active=true^^priority=1^')), [[['active = true'], ['priority = 1']]])
})

test('special terms are kept verbatim', async (t) => {
  const q = parseEncodedQuery(
    'active=true^RLQUERYsys_group_has_role.group,>0,m2m^role.nameLIKEadmin^ENDRLQUERY^JOINsys_user.sys_id=sys_user_group.manager!active=true^123TEXTQUERY321=email',
  )
  t.same(
    q.groups[0]?.clauses.map((c) => c.terms[0]),
    [
      cond('active', '=', 'true'),
      { kind: 'opaque', type: 'RLQUERY', text: 'sys_group_has_role.group,>0,m2m^role.nameLIKEadmin' },
      { kind: 'opaque', type: 'JOIN', text: 'sys_user.sys_id=sys_user_group.manager!active=true' },
      { kind: 'opaque', type: 'TEXTQUERY', text: 'email' },
    ],
  )
  t.same(parseEncodedQuery(printEncodedQuery(q)), q)
})

test('malformed input: CW_SN_QUERY_INVALID with position and reason', async (t) => {
  const cases: [string, number, RegExp][] = [
    ['active', 6, /expected an operator after field "active"/],
    ['active=true^Priority=1', 12, /expected a field name/],
    ['=true', 0, /expected a field name/],
    ['activeFOOtrue', 6, /unknown operator at "FOOtrue"/],
    ['a..b=1', 0, /not a field name/],
    ['active=true^OR', 14, /expected a condition after \^OR/],
    ['^ORactive=true', 0, /\^OR must follow a condition/],
    ['active=true^NQ', 14, /expected a condition after \^NQ/],
    ['^NQactive=true', 0, /\^NQ must follow a group/],
    ['a=1^ORORDERBYb', 3, /must be followed by a condition, not ORDERBY/],
    ['ORDERBYName', 7, /expected a field name/],
    ['assigned_toISEMPTYx', 18, /takes no value/],
    ['priorityBETWEEN1', 15, /BETWEEN needs "low@high"/],
    ['sla_dueRELATIVEGT@hour@ago', 17, /RELATIVEGT needs/],
    ['sla_dueRELATIVEGT@fortnight@ago@1', 17, /RELATIVEGT needs/],
    ['sla_dueONToday', 9, /ON needs "label@start@end"/],
    ['aSAMEASNotAField', 7, /SAMEAS needs another field name/],
    ['RLQUERYincident.problem_id,>=1', 0, /RLQUERY without a closing/],
    ['RLQUERYx^ENDRLQUERYy', 19, /after \^ENDRLQUERY/],
  ]
  for (const [text, position, reason] of cases) {
    const err = errorOf(text)
    t.equal(err.code, 'CW_SN_QUERY_INVALID', text)
    t.equal(err.statusCode, 400, text)
    t.equal(err.position, position, `${text}: position`)
    t.match(err.reason, reason, `${text}: reason`)
    t.match(err.message, new RegExp(`position ${position}:`), `${text}: message names the position`)
  }
})

test('fieldsOfQuery lists every field path read, once, in order', async (t) => {
  const q = parseEncodedQuery(
    'active=true^ORassigned_to.nameLIKEx^NQsla_dueSAMEASactivity_due@day^active=false^ORDERBYnumber^GROUPBYstate^123TEXTQUERY321=x',
  )
  t.same(fieldsOfQuery(q), ['active', 'assigned_to.name', 'sla_due', 'activity_due', 'number', 'state'])
})

test('dropInvalidTerms skips malformed terms and keeps the rest, reporting each', async (t) => {
  const dropped: number[] = []
  const lenient = (text: string) =>
    shape(parseEncodedQuery(text, { dropInvalidTerms: true, onDrop: (err) => dropped.push(err.position) }))
  t.same(lenient('active=true^Bogus=1^priority=2'), [[['active = true'], ['priority = 2']]])
  t.same(dropped, [12])
  t.same(lenient('a=1^bad^ORb=2'), [[['a = 1'], ['b = 2']]], 'an ^OR after a dropped term joins its clause, not a=1')
  t.same(lenient('a=1^ORbad^c=3'), [[['a = 1'], ['c = 3']]])
  t.same(lenient('bad^NQa=1'), [[['a = 1']]], 'a group left empty disappears')
  t.same(lenient('a=1^NQbad^ORc=3'), [[['a = 1']], [['c = 3']]])
  t.same(lenient('x'), [])
  t.throws(
    () => parseEncodedQuery('a=1^OR', { dropInvalidTerms: true }),
    { code: 'CW_SN_QUERY_INVALID' },
    'structure still throws',
  )
  t.throws(() => parseEncodedQuery('a=1^bad'), { code: 'CW_SN_QUERY_INVALID' }, 'strict by default')
})
