// The conformance suite can fail: the ServiceNow connector, broken one way at a time, fails the
// check that looks for that fault, and the unbroken connector passes all of them (servicenow.test.ts).
import t from 'tap'
import type { ChangeResult, ConnectionContext, Connector, Page } from '../../core/connector/contract.ts'
import { createServiceNowConnector, type ServiceNowSettings } from '../../connectors/servicenow/index.ts'
import { runConformance, type CheckName } from './suite.ts'
import { serviceNowSubject } from './servicenow-subject.ts'

t.setTimeout(120_000)

type Sn = Connector<ServiceNowSettings>
type Conn = ConnectionContext<ServiceNowSettings>
const good = createServiceNowConnector()
t.teardown(() => good.close())
const read = (conn: Conn, entity: string, request: Parameters<NonNullable<Sn['read']>>[2]) =>
  (good.read as NonNullable<Sn['read']>)(conn, entity, request)
/** The connector with its write answers made over by `fn`. */
const answering = (fn: (results: ChangeResult[]) => ChangeResult[]): Sn => ({
  ...good,
  write: async (conn, entity, changes) => fn(await (good.write as NonNullable<Sn['write']>)(conn, entity, changes)),
})

/** Each fault, and the check that must catch it. */
const broken: Array<{ fault: string; check: CheckName; connector: Sn }> = [
  {
    fault: 'a cursor one page behind: a resumed read repeats the page before it',
    check: 'resume',
    connector: {
      ...good,
      async *read(conn, entity, request) {
        // the cursor handed out with a page is the one of the page before: "start" for the first
        const inner = request.cursor === 'start' ? null : (request.cursor ?? null)
        let previous = 'start'
        for await (const page of read(conn, entity, { ...request, cursor: inner })) {
          yield { ...page, cursor: page.cursor === null ? null : previous }
          previous = page.cursor ?? previous
        }
      },
    },
  },
  {
    fault: 'a cursor that skips a page: a resumed read loses records',
    check: 'resume',
    connector: {
      ...good,
      async *read(conn, entity, request) {
        let skip = request.cursor !== undefined && request.cursor !== null
        for await (const page of read(conn, entity, request)) {
          if (skip && page.cursor !== null) {
            skip = false
            continue
          }
          yield page
        }
      },
    },
  },
  {
    fault: 'the last page keeps a cursor',
    check: 'read',
    connector: {
      ...good,
      async *read(conn, entity, request) {
        for await (const page of read(conn, entity, request)) yield { ...page, cursor: page.cursor ?? 'more' }
      },
    },
  },
  {
    fault: 'a record twice in one read',
    check: 'read',
    connector: {
      ...good,
      async *read(conn, entity, request) {
        for await (const page of read(conn, entity, request))
          yield {
            ...page,
            records: page.records.length ? [...page.records, page.records[0] as Page['records'][0]] : [],
          }
      },
    },
  },
  {
    fault: 'a delta without a watermark',
    check: 'delta',
    connector: {
      ...good,
      async *read(conn, entity, request) {
        for await (const { watermark: _dropped, ...page } of read(conn, entity, request)) yield page
      },
    },
  },
  {
    fault: 'a password in the message of a failed check',
    check: 'secrets',
    connector: {
      ...good,
      async check(conn) {
        const answer = await good.check(conn)
        return answer.ok ? answer : { ...answer, message: `${answer.message} (password ${conn.secrets.password})` }
      },
    },
  },
  {
    fault: 'a password in the message of an error a read throws',
    check: 'secrets',
    connector: {
      ...good,
      async *read(conn, entity, request) {
        try {
          yield* read(conn, entity, request)
        } catch (error) {
          throw new Error(`reading ${entity} as ${conn.settings.username}:${conn.secrets.password} failed`, {
            cause: error,
          })
        }
      },
    },
  },
  {
    fault: 'a password in a log line',
    check: 'secrets',
    connector: {
      ...good,
      async discover(conn, entities) {
        conn.logger.debug({ secrets: conn.secrets }, 'discovering')
        return (good.discover as NonNullable<Sn['discover']>)(conn, entities)
      },
    },
  },
  {
    fault: 'a check that throws on a wrong password',
    check: 'check',
    connector: {
      ...good,
      async check(conn) {
        const answer = await good.check(conn)
        if (!answer.ok) throw new Error(answer.message)
        return answer
      },
    },
  },
  {
    fault: 'a read that does not hear its signal',
    check: 'cancel',
    connector: {
      ...good,
      read: ({ signal: _ignored, ...conn }, entity, request) => read(conn, entity, request),
    },
  },
  {
    fault: 'a write that leaves out the result of a failed change',
    check: 'write',
    connector: answering((results) => results.filter((r) => r.ok)),
  },
  {
    fault: 'a failed change without a CW_ code',
    check: 'write',
    connector: answering((results) =>
      results.map((r) => (r.error ? { ...r, error: { ...r.error, code: 'NOT_FOUND' } } : r)),
    ),
  },
  {
    fault: 'a secret setting not marked secret',
    check: 'settings',
    connector: { ...good, secretFields: good.secretFields.filter((f) => f !== 'proxyPassword') },
  },
]

for (const { fault, check, connector } of broken) {
  t.test(fault, async (t) => {
    const reports = await runConformance(serviceNowSubject(connector))
    const report = reports.find((r) => r.check === check)
    t.ok(report?.problems.length, `the ${check} check finds it`)
    t.comment(report?.problems[0] ?? '')
  })
}
