// The javascript:gs.* whitelist, computed in UTC from a fixed "now": Wednesday 2024-05-15 12:34:56.
import { test } from 'tap'
import { evaluateScriptValue } from '../../../connectors/servicenow/encoded-query/date-functions.ts'

const now = Date.UTC(2024, 4, 15, 12, 34, 56)
const run = (call: string) => evaluateScriptValue(`javascript:gs.${call}`, { now, userSysId: 'u1' })

test('beginningOf / endOf periods (weeks start on Monday)', async (t) => {
  const expected: Record<string, string> = {
    'beginningOfToday()': '2024-05-15 00:00:00',
    'endOfToday()': '2024-05-15 23:59:59',
    'beginningOfYesterday()': '2024-05-14 00:00:00',
    'endOfTomorrow()': '2024-05-16 23:59:59',
    'beginningOfThisWeek()': '2024-05-13 00:00:00',
    'endOfThisWeek()': '2024-05-19 23:59:59',
    'beginningOfLastWeek()': '2024-05-06 00:00:00',
    'beginningOfNextWeek()': '2024-05-20 00:00:00',
    'beginningOfThisMonth()': '2024-05-01 00:00:00',
    'endOfThisMonth()': '2024-05-31 23:59:59',
    'beginningOfLastMonth()': '2024-04-01 00:00:00',
    'endOfLastMonth()': '2024-04-30 23:59:59',
    'endOfNextMonth()': '2024-06-30 23:59:59',
    'beginningOfThisQuarter()': '2024-04-01 00:00:00',
    'endOfThisQuarter()': '2024-06-30 23:59:59',
    'beginningOfLastQuarter()': '2024-01-01 00:00:00',
    'beginningOfThisYear()': '2024-01-01 00:00:00',
    'endOfLastYear()': '2023-12-31 23:59:59',
    'beginningOfNextYear()': '2025-01-01 00:00:00',
  }
  for (const [call, value] of Object.entries(expected)) t.equal(run(call), value, call)
})

test('…Ago, …AgoStart, …AgoEnd, now, dateGenerate, getUserID', async (t) => {
  const expected: Record<string, string> = {
    'minutesAgo(5)': '2024-05-15 12:29:56',
    'minutesAgoStart(5)': '2024-05-15 12:29:00',
    'hoursAgo(13)': '2024-05-14 23:34:56',
    'hoursAgoEnd(1)': '2024-05-15 11:59:59',
    'daysAgo(15)': '2024-04-30 12:34:56',
    'daysAgoStart(0)': '2024-05-15 00:00:00',
    'daysAgoEnd(1)': '2024-05-14 23:59:59',
    'daysAgoStart(-1)': '2024-05-16 00:00:00',
    'monthsAgoStart(5)': '2023-12-01 00:00:00',
    'quartersAgoEnd(1)': '2024-03-31 23:59:59',
    'yearsAgo(1)': '2023-05-15 12:34:56',
    'nowDateTime()': '2024-05-15 12:34:56',
    'nowNoTZ()': '2024-05-15 12:34:56',
    'now()': '2024-05-15',
    "dateGenerate('2017-11-22','start')": '2017-11-22 00:00:00',
    "dateGenerate('2017-11-22', 'end')": '2017-11-22 23:59:59',
    'dateGenerate("2017-11-22","08:15:00")': '2017-11-22 08:15:00',
    "dateGenerate('2017-11-22')": '2017-11-22 00:00:00',
    'dateGenerate("2016-01-01 10:00:00")': '2016-01-01 10:00:00',
    'getUserID()': 'u1',
  }
  for (const [call, value] of Object.entries(expected)) t.equal(run(call), value, call)
})

test('anything else is refused, never evaluated', async (t) => {
  for (const value of [
    'javascript:gs.beginningOfFortnight()',
    'javascript:gs.daysAgo(1.5)',
    "javascript:gs.dateGenerate('2017-13-45','start')",
    "javascript:gs.dateGenerate('2017-11-22','noon')",
    'javascript:gs.getUser().getID()',
    'javascript:new GlideRecord("sys_user").deleteMultiple()',
    "javascript:gs.daysAgo(1); gs.eventQueue('x')",
    'gs.now()',
  ]) {
    t.throws(() => evaluateScriptValue(value, { now }), { code: 'CW_SN_QUERY_UNSUPPORTED' }, value)
  }
  t.throws(() => evaluateScriptValue('javascript:gs.getUserID()', { now }), {
    code: 'CW_SN_QUERY_UNSUPPORTED',
    message: /userSysId/,
  })
})
