import { test } from 'tap'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { envBindings, loadConfig, validateConfig } from '../../../modules.ts'
import { migrateConfig } from '../../../core/config/versions.ts'
import { KernelConfigSchema, composeConfigSchema } from '../../../core/config/schema.ts'
import { Type } from 'typebox'

test('defaults apply when nothing is configured', async (t) => {
  const config = loadConfig({ env: {}, argv: [] })
  t.equal(config.port, 8080)
  t.equal(config.dataDir, './.crosswalk')
  t.equal(config.databaseUrl, undefined)
  t.equal(config.rateLimit.max, 600)
})

test('the outside contract: every documented environment name is read', async (t) => {
  const names = envBindings().map((b) => b.env)
  for (const name of [
    'PORT',
    'HOST',
    'CROSSWALK_DATA_DIR',
    'DATABASE_URL',
    'CROSSWALK_MASTER_KEY',
    'CROSSWALK_ADMIN_TOKEN',
  ]) {
    t.ok(names.includes(name), `${name} is bound`)
  }
  const config = loadConfig({
    argv: [],
    env: {
      PORT: '9090',
      HOST: '0.0.0.0',
      CROSSWALK_DATA_DIR: '/var/lib/cw',
      DATABASE_URL: 'postgres://u:p@db:5432/cw',
      CROSSWALK_PUBLIC_METRICS: 'false',
      CROSSWALK_RATE_LIMIT_MAX: '10',
    },
  })
  t.match(config, {
    port: 9090,
    host: '0.0.0.0',
    dataDir: '/var/lib/cw',
    databaseUrl: 'postgres://u:p@db:5432/cw',
    publicMetrics: false,
  })
  t.equal(config.rateLimit.max, 10, 'nested settings come from the environment too')
})

test('a config file (YAML or JSON) from --config or CROSSWALK_CONFIG; the environment wins over it', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'cw-config-'))
  const yaml = join(dir, 'hub.yaml')
  await writeFile(yaml, 'port: 7000\nlogLevel: debug\nrateLimit:\n  max: 5\n')
  t.match(loadConfig({ argv: ['--config', yaml], env: {} }), {
    port: 7000,
    logLevel: 'debug',
    rateLimit: { max: 5, windowMs: 60000 },
  })
  t.equal(loadConfig({ argv: [`--config=${yaml}`], env: { PORT: '7001' } }).port, 7001)
  const json = join(dir, 'hub.json')
  await writeFile(json, JSON.stringify({ host: '::1' }))
  t.equal(loadConfig({ argv: [], env: { CROSSWALK_CONFIG: json } }).host, '::1')
})

test('a wrong setting stops start-up with a message naming it', async (t) => {
  t.throws(() => loadConfig({ argv: [], env: { PORT: 'eighty' } }), {
    code: 'CW_CONFIG_INVALID',
    message: /port \[PORT\]/,
  })
  t.throws(() => loadConfig({ argv: [], env: { DATABASE_URL: 'mysql://x' } }), {
    message: /databaseUrl \[DATABASE_URL\]/,
  })
  t.throws(() => validateConfig({ prot: 80 }), { message: /prot/ }, 'unknown keys are named')
  t.throws(() => validateConfig({ rateLimit: { maxx: 5 } }), { message: /maxx/ }, 'at any depth')
  t.throws(() => loadConfig({ argv: [], env: { CROSSWALK_ADMIN_TOKEN: 'short-secret' } }), {
    message: /adminToken \[CROSSWALK_ADMIN_TOKEN\]/,
  })
  try {
    loadConfig({ argv: [], env: { CROSSWALK_ADMIN_TOKEN: 'short-secret' } })
  } catch (error) {
    t.notMatch((error as Error).message, /short-secret/, "a secret setting's value is not echoed")
  }
  const dir = await mkdtemp(join(tmpdir(), 'cw-config-'))
  const broken = join(dir, 'broken.yaml')
  await writeFile(broken, 'port: [1,\n')
  t.throws(() => loadConfig({ argv: ['--config', broken], env: {} }), { message: /broken\.yaml is not valid YAML/ })
  t.throws(() => loadConfig({ argv: ['--config', join(dir, 'missing.yaml')], env: {} }), {
    message: /cannot read config file/,
  })
  t.throws(() => loadConfig({ argv: ['--config'], env: {} }), { message: /--config needs a file path/ })
})

test('config file versions: newer than this release is refused, a bad version is named', async (t) => {
  t.throws(() => migrateConfig({ configVersion: 99 }), { message: /newer than this release/ })
  t.throws(() => migrateConfig({ configVersion: 'one' }), { message: /configVersion must be a whole number/ })
  t.same(migrateConfig({ port: 1 }), { port: 1 })
})

test("a module's settings section is part of the one schema: file, environment, defaults, errors", async (t) => {
  t.notOk('identitynow' in KernelConfigSchema.properties, 'the kernel has no vendor section')
  const names = envBindings().map((b) => b.env)
  t.ok(names.includes('CROSSWALK_IDN_TENANT_URL'), "a module's environment names are bound")
  t.equal(loadConfig({ argv: [], env: {} }).identitynow.ticketPollCron, '* * * * *', "the section's defaults")
  const config = loadConfig({
    argv: [],
    env: { CROSSWALK_IDN_TENANT_URL: 'https://acme.api.identitynow.com', CROSSWALK_IDN_WORK_ITEMS_MINUTES: '7' },
  })
  t.equal(config.identitynow.tenant.url, 'https://acme.api.identitynow.com')
  t.equal(config.identitynow.workItems.pollMinutes, 7)
  t.throws(() => loadConfig({ argv: [], env: { CROSSWALK_IDN_TENANT_URL: 'ftp://x' } }), {
    code: 'CW_CONFIG_INVALID',
    message: /identitynow\.tenant\.url \[CROSSWALK_IDN_TENANT_URL\]/,
  })
  t.throws(() => validateConfig({ identitynow: { tenantt: {} } }), { message: /tenantt/ }, 'unknown keys in a section')
})

test('a module may not take the name of a kernel setting', async (t) => {
  t.throws(() => composeConfigSchema([{ name: 'port', settings: Type.Object({}) }]), {
    code: 'CW_CONFIG_INVALID',
    message: /module "port"/,
  })
  const composed = composeConfigSchema([{ name: 'extra', settings: Type.Object({ on: Type.Boolean() }) }])
  t.ok('extra' in composed.properties && 'port' in composed.properties)
})

test('a setting that is a number or a word takes either from the environment', async (t) => {
  const read = (value: string) =>
    loadConfig({ argv: [], env: { CROSSWALK_CONNECTION_CHECK_MINUTES: value } }).connections.checkIntervalMinutes
  t.equal(loadConfig({ argv: [], env: {} }).connections.checkIntervalMinutes, 5, 'every 5 minutes by default')
  t.equal(read('15'), 15)
  t.equal(read('0'), 0)
  t.equal(read('off'), 'off')
  t.throws(() => read('never'), { code: 'CW_CONFIG_INVALID', message: /checkIntervalMinutes/ })
})
