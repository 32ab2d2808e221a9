// Runs the emulator standalone: `npm run emulator:servicenow`.
// Environment: PORT (default 8090), HOST (default 127.0.0.1), SEED (PRNG seed, default 1),
// SEED_RELATIONS (cmdb_rel_ci rows, default 500), SEED_SERVERS, SEED_USERS, ADMIN_PASSWORD,
// BASE_URL (links), TLS_CERT + TLS_KEY (paths: serve https), CATALOG_ITEMS (comma list),
// OAUTH_CLIENT_ID + OAUTH_CLIENT_SECRET (registers an OAuth client), RELEASE (the release family
// sys_properties reports, e.g. newyork, tokyo, madrid; default newyork), SEED_DEMO=true (the demo
// data of a personal developer instance on top of the CSDM seed).
import { readFileSync } from 'node:fs'
import { startServiceNowEmulator } from './index.ts'

const env = process.env
const num = (v: string | undefined): number | undefined => (v && Number.isFinite(Number(v)) ? Number(v) : undefined)

const started = Date.now()
const running = await startServiceNowEmulator({
  host: env.HOST ?? '127.0.0.1',
  port: num(env.PORT) ?? 8090,
  ...(env.BASE_URL ? { baseUrl: env.BASE_URL } : {}),
  ...(env.ADMIN_PASSWORD ? { adminPassword: env.ADMIN_PASSWORD } : {}),
  ...(env.RELEASE ? { release: env.RELEASE } : {}),
  ...(env.TLS_CERT && env.TLS_KEY
    ? { https: { cert: readFileSync(env.TLS_CERT), key: readFileSync(env.TLS_KEY) } }
    : {}),
  ...(env.OAUTH_CLIENT_ID && env.OAUTH_CLIENT_SECRET
    ? {
        oauthClients: [
          { clientId: env.OAUTH_CLIENT_ID, clientSecret: env.OAUTH_CLIENT_SECRET, clientCredentialsUser: 'admin' },
        ],
      }
    : {}),
  seed: {
    seed: num(env.SEED) ?? 1,
    relations: num(env.SEED_RELATIONS) ?? 500,
    ...(num(env.SEED_SERVERS) !== undefined ? { servers: num(env.SEED_SERVERS) } : {}),
    ...(num(env.SEED_USERS) !== undefined ? { users: num(env.SEED_USERS) } : {}),
    ...(env.SEED_DEMO === 'true' ? { demo: true } : {}),
    ...(env.CATALOG_ITEMS ? { catalogItems: env.CATALOG_ITEMS.split(',').map((s) => s.trim()) } : {}),
  },
})
process.stdout.write(
  `ServiceNow emulator listening on ${running.url} (seeded in ${Date.now() - started} ms; admin API at ${running.url}/emulator/admin)\n`,
)
const stop = () => {
  void running.close().then(() => process.exit(0))
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
