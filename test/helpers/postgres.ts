// Tests that only make sense on a PostgreSQL server (several processes on one database) run
// when CROSSWALK_TEST_DATABASE_URL names one, and are skipped with this reason otherwise.
import { serverUrl } from './store.ts'

export const postgresUrl = serverUrl

export const NEEDS_POSTGRES =
  'needs a PostgreSQL server: set CROSSWALK_TEST_DATABASE_URL=postgres://user:pass@127.0.0.1:5432/postgres ' +
  '(a role with CREATEDB; each test creates and drops its own database)'
