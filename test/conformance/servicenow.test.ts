// The ServiceNow connector against the connector conformance suite (test/conformance/suite.ts).
import t from 'tap'
import { createServiceNowConnector } from '../../connectors/servicenow/index.ts'
import { conformance } from './suite.ts'
import { serviceNowSubject } from './servicenow-subject.ts'

t.setTimeout(120_000)

const connector = createServiceNowConnector()
t.teardown(() => connector.close())
await conformance(t, serviceNowSubject(connector))
