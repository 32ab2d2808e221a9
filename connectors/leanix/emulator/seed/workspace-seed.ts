// A deterministic, realistic workspace: providers, tech categories, IT components (software,
// hardware, SaaS) with their provider and category, a three-level capability map, organizations,
// processes, applications with lifecycles, fits and relations, interfaces, data objects,
// initiatives, tags and subscriptions. Proportions hold from a few hundred to 50 000 fact sheets.
import { LIFECYCLE_PHASES } from '../meta-model.ts'
import { LeanixEmulatorErrors } from '../errors.ts'
import type {
  FactSheetRecord,
  LifecyclePhase,
  LxState,
  RelationRecord,
  SubscriptionRoleRecord,
  SubscriptionType,
  TagGroupRecord,
  TagRecord,
  UserRecord,
} from '../workspace/records.ts'
import type { WorkspaceStore } from '../workspace/store.ts'
import { SeededRandom } from './prng.ts'

export interface SeedOptions {
  seed: number
  /** roughly how many fact sheets to create (default 400) */
  factSheets: number
}

export interface SeedSummary {
  factSheets: number
  relations: number
  byType: Record<string, number>
}

const BASE_TIME = Date.UTC(2023, 0, 2, 8, 0, 0)

const VENDORS = [
  'Microsoft',
  'Oracle',
  'SAP',
  'Salesforce',
  'IBM',
  'Adobe',
  'Atlassian',
  'ServiceNow',
  'Red Hat',
  'VMware',
  'Cisco',
  'Dell',
  'HP',
  'Amazon Web Services',
  'Google',
  'Workday',
  'Snowflake',
  'Elastic',
  'MongoDB',
  'PostgreSQL Global Development Group',
]
const TECH_CATEGORIES: Record<string, string[]> = {
  Databases: ['Relational Database', 'Document Store', 'Data Warehouse'],
  'Operating Systems': ['Linux', 'Windows Server'],
  'Application Server': ['Java Runtime', 'Web Server'],
  Infrastructure: ['Server Hardware', 'Storage', 'Network'],
  Collaboration: ['Office Suite', 'Messaging'],
  'Cloud Services': ['Compute', 'Object Storage', 'Serverless'],
}
const SOFTWARE = [
  'Database Server',
  'Office Suite',
  'Application Server',
  'Web Server',
  'Message Broker',
  'Search Engine',
  'Identity Server',
  'Monitoring Agent',
  'Backup Suite',
  'Analytics Engine',
  'Container Runtime',
  'Integration Bus',
]
const HARDWARE = ['Blade Server', 'Storage Array', 'Core Switch', 'Firewall Appliance', 'Load Balancer', 'Rack Server']
const SAAS = ['CRM Cloud', 'HR Cloud', 'Collaboration Cloud', 'Ticketing Cloud', 'Data Cloud']
const APP_PREFIX = [
  'Global',
  'Customer',
  'Finance',
  'HR',
  'Sales',
  'Supply',
  'Order',
  'Partner',
  'Product',
  'Field',
  'Retail',
  'Payroll',
  'Claims',
  'Fleet',
  'Risk',
  'Contract',
]
const APP_NOUN = [
  'Portal',
  'Manager',
  'Hub',
  'Tracker',
  'Planner',
  'Gateway',
  'Suite',
  'Ledger',
  'Insight',
  'Desk',
  'Engine',
  'Registry',
]
const CAPABILITY_L1 = [
  'Customer Management',
  'Finance',
  'Human Resources',
  'Supply Chain',
  'Sales & Marketing',
  'IT Management',
  'Product Development',
  'Corporate Services',
]
const CAPABILITY_L2 = ['Planning', 'Operations', 'Analytics', 'Compliance', 'Service']
const CAPABILITY_L3 = ['Execution', 'Monitoring', 'Reporting']
const ORGS = [
  'Headquarters',
  'Sales EMEA',
  'Sales Americas',
  'Sales APAC',
  'Finance',
  'IT',
  'Operations',
  'Research',
  'Legal',
  'Human Resources',
]
const PROCESSES = [
  'Order to Cash',
  'Procure to Pay',
  'Hire to Retire',
  'Record to Report',
  'Lead to Order',
  'Issue to Resolution',
  'Plan to Produce',
  'Idea to Market',
]
const DATA_OBJECTS = [
  'Customer',
  'Order',
  'Invoice',
  'Employee',
  'Product',
  'Supplier',
  'Contract',
  'Payment',
  'Asset',
  'Ticket',
  'Shipment',
  'Account',
]
const FIRST_NAMES = [
  'Alice',
  'Bob',
  'Carla',
  'David',
  'Eva',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kemal',
  'Lena',
]
const LAST_NAMES = [
  'Meyer',
  'Novak',
  'Okafor',
  'Petrov',
  'Quinn',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Umar',
  'Varga',
  'Weber',
  'Yilmaz',
]

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

export function seedWorkspace(store: WorkspaceStore, options: SeedOptions): SeedSummary {
  if (!Number.isInteger(options.factSheets) || options.factSheets < 50 || options.factSheets > 200_000) {
    throw new LeanixEmulatorErrors.SEED_INVALID('factSheets must be an integer in 50..200000')
  }
  const summary = new Seeder(store, options).run()
  // the search index's updatedAt order, built with the data as a workspace has it
  store.byUpdatedAt()
  return summary
}

class Seeder {
  private readonly store: WorkspaceStore
  private readonly random: SeededRandom
  private readonly total: number
  private readonly byType = new Map<string, FactSheetRecord[]>()
  private relations = 0
  private readonly names = new Map<string, number>()
  private readonly keys: { organization: string; initiative: string; businessContext: string }

  constructor(store: WorkspaceStore, options: SeedOptions) {
    this.store = store
    this.random = new SeededRandom(options.seed)
    this.total = options.factSheets
    const has = (t: string) => t in store.metaModel.factSheets
    this.keys = {
      organization: has('Organization') ? 'Organization' : 'UserGroup',
      initiative: has('Initiative') ? 'Initiative' : 'Project',
      businessContext: has('BusinessContext') ? 'BusinessContext' : 'Process',
    }
  }

  run(): SeedSummary {
    const n = this.total
    const share = (p: number, min: number) => Math.max(min, Math.round(n * p))
    const users = this.seedUsers()
    const roles = this.seedSubscriptionRoles()
    const tags = this.seedTags()

    const providers = this.many('Provider', share(0.02, 5), (i) =>
      this.uniqueName(VENDORS[i % VENDORS.length] ?? 'Vendor'),
    )
    const stacks = this.seedTechStacks(share(0.01, 6))
    const itcs = this.seedItComponents(share(0.3, 15), providers, stacks)
    const capabilities = this.seedHierarchy(
      'BusinessCapability',
      share(0.06, 8),
      CAPABILITY_L1,
      CAPABILITY_L2,
      CAPABILITY_L3,
    )
    const orgs = this.seedHierarchy(this.keys.organization, share(0.02, 4), ORGS, ['Team A', 'Team B', 'Team C'], [])
    const contexts = this.many(
      this.keys.businessContext,
      share(0.03, 4),
      (i) => this.uniqueName(PROCESSES[i % PROCESSES.length] ?? 'Process'),
      (fs) => ({ ...fs, category: 'process' }),
    )
    const dataObjects = this.many(
      'DataObject',
      share(0.04, 5),
      (i) => this.uniqueName(DATA_OBJECTS[i % DATA_OBJECTS.length] ?? 'Data'),
      (fs) => ({
        ...fs,
        fields: {
          ...fs.fields,
          dataClassification: this.random.pick(['public', 'internal', 'confidential', 'restricted']),
        },
      }),
    )
    const objectives = this.many(
      'Objective',
      share(0.005, 2),
      (i) =>
        `Objective ${i + 1}: ${this.random.pick(['Reduce cost', 'Grow revenue', 'Cloud first', 'Improve resilience'])}`,
    )
    const platforms = this.many('Platform', share(0.005, 2), (i) =>
      this.uniqueName(`${this.random.pick(['Digital', 'Data', 'Commerce', 'Workplace'])} Platform ${i + 1}`),
    )
    const initiatives = this.many(
      this.keys.initiative,
      share(0.02, 3),
      (i) => this.uniqueName(`Initiative ${i + 1}`),
      (fs) => ({
        ...fs,
        category: this.random.pick(['idea', 'program', 'project', 'epic']),
        fields: { ...fs.fields, lifecycle: this.lifecycle() },
      }),
    )
    const used = [
      providers,
      stacks,
      itcs,
      capabilities,
      orgs,
      contexts,
      dataObjects,
      objectives,
      platforms,
      initiatives,
    ].reduce((a, l) => a + l.length, 0)
    const interfaceCount = Math.max(5, Math.round(n * 0.08))
    const appCount = Math.max(10, n - used - interfaceCount)
    const apps = this.seedApplications(appCount, { itcs, capabilities, orgs, contexts, dataObjects, initiatives, tags })
    this.seedInterfaces(interfaceCount, apps, dataObjects, itcs)
    for (const p of platforms)
      for (const app of this.random.sample(apps, 3)) this.relate('relPlatformToApplication', p, app)
    for (const c of capabilities.filter((_, i) => i % 3 === 0))
      if (objectives.length > 0) this.relate('relBusinessCapabilityToObjective', c, this.random.pick(objectives))
    this.seedSubscriptions(apps, users, roles)
    this.seedMoreRelations({ initiatives, capabilities, orgs, contexts, objectives, platforms, itcs, apps })
    this.seedHistory(users)

    const byType: Record<string, number> = {}
    let count = 0
    for (const [type, list] of this.byType) {
      byType[type] = list.length
      count += list.length
    }
    return { factSheets: count, relations: this.relations, byType }
  }

  // ---- building blocks ---------------------------------------------------------------------

  private uniqueName(base: string): string {
    const seen = this.names.get(base) ?? 0
    this.names.set(base, seen + 1)
    return seen === 0 ? base : `${base} ${seen + 1}`
  }

  private timestamp(): string {
    return new Date(BASE_TIME + this.random.int(0, 600 * 24 * 60) * 60_000).toISOString()
  }

  private factSheet(type: string, name: string): FactSheetRecord {
    const createdAt = this.timestamp()
    const updatedAt = new Date(Date.parse(createdAt) + this.random.int(0, 200 * 24 * 60) * 60_000).toISOString()
    const record: FactSheetRecord = {
      id: this.random.uuid(),
      type,
      name,
      rev: this.random.int(1, 12),
      status: 'ACTIVE',
      description: this.random.chance(0.7)
        ? `${name}: ${this.random.pick(['core system', 'used company-wide', 'regional solution', 'legacy, to be replaced', 'strategic'])}.`
        : null,
      category: null,
      lxState: this.random.pick<LxState>(['DRAFT', 'APPROVED', 'APPROVED', 'BROKEN_QUALITY_SEAL']),
      createdAt,
      updatedAt,
      fields: {},
      tagIds: [],
      naFields: [],
      archivedAt: null,
    }
    return record
  }

  private add(record: FactSheetRecord): FactSheetRecord {
    this.store.putFactSheet(null, record)
    const list = this.byType.get(record.type) ?? []
    list.push(record)
    this.byType.set(record.type, list)
    return record
  }

  private many(
    type: string,
    count: number,
    name: (i: number) => string,
    shape: (fs: FactSheetRecord) => FactSheetRecord = (fs) => fs,
  ): FactSheetRecord[] {
    const out: FactSheetRecord[] = []
    for (let i = 0; i < count; i++) out.push(this.add(shape(this.factSheet(type, name(i)))))
    return out
  }

  /** A relation by the name on its `from` end (or relToParent with the child first). */
  private relate(name: string, from: FactSheetRecord, to: FactSheetRecord, fields: Record<string, unknown> = {}): void {
    const view = this.store.relationViews.get(from.type)?.get(name)
    if (view === undefined || view.side !== 'from')
      throw new LeanixEmulatorErrors.SEED_INVALID(`${from.type} has no relation ${name}`)
    const relation: RelationRecord = {
      id: this.random.uuid(),
      definitionKey: view.definition.key,
      fromId: from.id,
      toId: to.id,
      description: null,
      activeFrom: null,
      activeUntil: null,
      fields,
      status: 'ACTIVE',
      archivedWith: null,
    }
    this.store.putRelation(null, relation)
    this.relations++
  }

  private lifecycle(): { phases: LifecyclePhase[] } {
    const start = BASE_TIME - this.random.int(0, 3650) * 86_400_000
    const upTo = this.random.int(1, LIFECYCLE_PHASES.length)
    const phases: LifecyclePhase[] = []
    let at = start
    for (const phase of LIFECYCLE_PHASES.slice(0, upTo)) {
      phases.push({ phase, startDate: isoDay(at) })
      at += this.random.int(90, 1500) * 86_400_000
    }
    return { phases }
  }

  private seedHierarchy(type: string, count: number, l1: string[], l2: string[], l3: string[]): FactSheetRecord[] {
    const out: FactSheetRecord[] = []
    const depth = new Map<string, number>()
    const roots = l1.slice(0, Math.min(l1.length, Math.max(1, Math.ceil(count / 6))))
    for (const rootName of roots) {
      const root = this.add(this.factSheet(type, this.uniqueName(rootName)))
      depth.set(root.id, 1)
      out.push(root)
    }
    // Breadth first, three levels; the fan-out grows with the count so big seeds stay three deep.
    const fanOut = Math.max(2, Math.ceil(Math.sqrt(count / roots.length)))
    for (let parentIndex = 0; out.length < count && parentIndex < out.length; parentIndex++) {
      const parent = out[parentIndex] as FactSheetRecord
      const level = depth.get(parent.id) ?? 1
      const names = level === 1 ? l2 : level === 2 ? l3 : []
      if (names.length === 0) continue
      for (let c = 0; c < fanOut && out.length < count; c++) {
        const childName = names[(c + parentIndex) % names.length] as string
        const child = this.add(this.factSheet(type, this.uniqueName(`${childName} (${parent.name})`)))
        this.relate('relToParent', child, parent)
        depth.set(child.id, level + 1)
        out.push(child)
      }
    }
    while (out.length < count) out.push(this.add(this.factSheet(type, this.uniqueName(this.random.pick(l1)))))
    return out
  }

  private seedTechStacks(count: number): FactSheetRecord[] {
    const out: FactSheetRecord[] = []
    const entries = Object.entries(TECH_CATEGORIES)
    for (const [root, children] of entries) {
      if (out.length >= count) break
      const parent = this.add(this.factSheet('TechnicalStack', this.uniqueName(root)))
      out.push(parent)
      for (const child of children) {
        if (out.length >= count) break
        const c = this.add(this.factSheet('TechnicalStack', this.uniqueName(child)))
        this.relate('relToParent', c, parent)
        out.push(c)
      }
    }
    while (out.length < count) out.push(this.add(this.factSheet('TechnicalStack', this.uniqueName('Tech Category'))))
    return out
  }

  private seedItComponents(count: number, providers: FactSheetRecord[], stacks: FactSheetRecord[]): FactSheetRecord[] {
    const out: FactSheetRecord[] = []
    for (let i = 0; i < count; i++) {
      const roll = this.random.float()
      const category = roll < 0.6 ? 'software' : roll < 0.85 ? 'hardware' : roll < 0.95 ? 'saas' : 'iaas'
      const base = category === 'hardware' ? HARDWARE : category === 'saas' ? SAAS : SOFTWARE
      const fs = this.factSheet('ITComponent', this.uniqueName(this.random.pick(base)))
      const record = this.add({
        ...fs,
        category,
        fields: {
          release: category === 'software' ? `${this.random.int(1, 19)}.${this.random.int(0, 9)}` : null,
          lifecycle: this.lifecycle(),
          technicalSuitability: this.random.pick(['inappropriate', 'unreasonable', 'adequate', 'fullyAppropriate']),
        },
      })
      this.relate('relITComponentToProvider', record, this.random.pick(providers))
      this.relate('relITComponentToTechnologyStack', record, this.random.pick(stacks))
      out.push(record)
    }
    return out
  }

  private seedApplications(
    count: number,
    related: {
      itcs: FactSheetRecord[]
      capabilities: FactSheetRecord[]
      orgs: FactSheetRecord[]
      contexts: FactSheetRecord[]
      dataObjects: FactSheetRecord[]
      initiatives: FactSheetRecord[]
      tags: { hosting: TagRecord[]; other: TagRecord[] }
    },
  ): FactSheetRecord[] {
    const out: FactSheetRecord[] = []
    const leafCapabilities = related.capabilities.filter((c) => c.name.includes('('))
    const capabilityPool = leafCapabilities.length > 0 ? leafCapabilities : related.capabilities
    for (let i = 0; i < count; i++) {
      const fs = this.factSheet(
        'Application',
        this.uniqueName(`${this.random.pick(APP_PREFIX)} ${this.random.pick(APP_NOUN)}`),
      )
      const tagIds = [this.random.pick(related.tags.hosting).id]
      if (this.random.chance(0.3)) tagIds.push(this.random.pick(related.tags.other).id)
      const app = this.add({
        ...fs,
        category: this.random.chance(0.85) ? 'businessApplication' : 'microservice',
        tagIds,
        fields: {
          alias: this.random.chance(0.3) ? `APP${i + 1}` : null,
          externalId: this.random.chance(0.5)
            ? {
                externalId: `APP-${String(i + 1).padStart(5, '0')}`,
                externalUrl: null,
                comment: null,
                status: null,
                externalVersion: null,
              }
            : null,
          lifecycle: this.lifecycle(),
          businessCriticality: this.random.pick([
            'missionCritical',
            'businessCritical',
            'businessOperational',
            'administrativeService',
          ]),
          functionalSuitability: this.random.pick(['unreasonable', 'insufficient', 'appropriate', 'perfect']),
          technicalSuitability: this.random.pick(['inappropriate', 'unreasonable', 'adequate', 'fullyAppropriate']),
        },
      })
      for (const itc of this.random.sample(related.itcs, this.random.int(1, 4))) {
        this.relate('relApplicationToITComponent', app, itc, {
          usageType: this.random.pick(['runtime', 'development', 'operations']),
          technicalSuitability: this.random.pick(['inappropriate', 'unreasonable', 'adequate', 'fullyAppropriate']),
          costTotalAnnual: this.random.int(5, 400) * 250,
          ...(this.random.chance(0.3)
            ? { obsolescenceRiskStatus: this.random.pick(['riskAccepted', 'riskAddressed', 'riskNotAddressed']) }
            : {}),
        })
      }
      for (const bc of this.random.sample(capabilityPool, this.random.int(1, 3))) {
        this.relate('relApplicationToBusinessCapability', app, bc, {
          supportType: this.random.pick(['leading', 'secondary']),
          functionalSuitability: this.random.pick(['unreasonable', 'insufficient', 'appropriate', 'perfect']),
        })
      }
      this.relate(`relApplicationTo${this.keys.organization}`, app, this.random.pick(related.orgs), {
        usageType: 'owner',
      })
      if (this.random.chance(0.5))
        this.relate(`relApplicationTo${this.keys.businessContext}`, app, this.random.pick(related.contexts))
      if (this.random.chance(0.4)) this.relate('relApplicationToDataObject', app, this.random.pick(related.dataObjects))
      if (this.random.chance(0.1))
        this.relate(`relApplicationTo${this.keys.initiative}`, app, this.random.pick(related.initiatives))
      out.push(app)
    }
    return out
  }

  private seedInterfaces(
    count: number,
    apps: FactSheetRecord[],
    dataObjects: FactSheetRecord[],
    itcs: FactSheetRecord[],
  ): void {
    for (let i = 0; i < count; i++) {
      const [provider, ...consumers] = this.random.sample(apps, this.random.int(2, 3)) as [
        FactSheetRecord,
        ...FactSheetRecord[],
      ]
      const record = this.add({
        ...this.factSheet(
          'Interface',
          this.uniqueName(`${provider.name} ${this.random.pick(['API', 'Feed', 'Export', 'Sync'])}`),
        ),
        category: this.random.chance(0.6) ? 'api' : 'logicalInterface',
        fields: {
          frequency: this.random.pick(['realTime', 'daily', 'weekly', 'onDemand']),
          dataFlowDirection: this.random.pick(['providerToConsumer', 'bidirectional']),
        },
      })
      this.relate('relProviderApplicationToInterface', provider, record)
      for (const consumer of consumers) this.relate('relConsumerApplicationToInterface', consumer, record)
      this.relate('relInterfaceToDataObject', record, this.random.pick(dataObjects))
      if (this.random.chance(0.3)) this.relate('relInterfaceToITComponent', record, this.random.pick(itcs))
    }
  }

  /** Relations of every type that the main passes leave out, so no type stands alone. */
  private seedMoreRelations(fs: Record<string, FactSheetRecord[]>): void {
    const k = this.keys
    const pick = (list: FactSheetRecord[] | undefined) => (list && list.length > 0 ? this.random.pick(list) : undefined)
    const link = (name: string, from: FactSheetRecord | undefined, to: FactSheetRecord | undefined) => {
      if (from !== undefined && to !== undefined) this.relate(name, from, to)
    }
    for (const initiative of fs.initiatives ?? []) {
      link(`rel${k.initiative}ToBusinessCapability`, initiative, pick(fs.capabilities))
      link(`rel${k.initiative}To${k.organization}`, initiative, pick(fs.orgs))
      link(`rel${k.initiative}ToObjective`, initiative, pick(fs.objectives))
      if (this.random.chance(0.5)) link(`rel${k.initiative}ToITComponent`, initiative, pick(fs.itcs))
    }
    for (const context of fs.contexts ?? []) {
      for (const bc of this.random.sample(fs.capabilities ?? [], 2))
        link(`rel${k.businessContext}ToBusinessCapability`, context, bc)
    }
    for (const platform of fs.platforms ?? []) link('relPlatformToObjective', platform, pick(fs.objectives))
    for (const itc of (fs.itcs ?? []).filter((_, i) => i % 4 === 0))
      link(`relITComponentTo${k.organization}`, itc, pick(fs.orgs))
    // a few dependencies and successors between applications and between IT components
    const pairs = (list: FactSheetRecord[] | undefined, name: string) => {
      const items = list ?? []
      for (let i = 0; i + 1 < items.length && i < 20; i += 5) link(name, items[i], items[i + 1])
    }
    pairs(fs.apps, 'relToRequires')
    pairs(fs.itcs, 'relToSuccessor')
  }

  /**
   * Every fact sheet's history as LeanIX shows it: who created it and when, and the later edits
   * up to its current rev (at most three shown), by the workspace's users.
   */
  private seedHistory(users: UserRecord[]): void {
    const authors = users.filter((u) => u.role !== 'VIEWER')
    for (const list of this.byType.values()) {
      for (const fs of list) {
        const created = Date.parse(fs.createdAt)
        const span = Date.parse(fs.updatedAt) - created
        this.store.history.push({
          factSheetId: fs.id,
          eventType: 'FACT_SHEET_CREATED',
          path: null,
          newValue: fs.name,
          userId: this.random.pick(authors).id,
          createdAt: fs.createdAt,
        })
        const edits = Math.min(3, fs.rev - 1)
        for (let e = 1; e <= edits; e++) {
          const path = this.random.pick(['/description', '/lxState', '/lifecycle', '/name'])
          this.store.history.push({
            factSheetId: fs.id,
            eventType: 'FACT_SHEET_FIELD_UPDATED',
            path,
            newValue: path === '/description' ? fs.description : path === '/lxState' ? fs.lxState : null,
            userId: this.random.pick(authors).id,
            createdAt: new Date(created + Math.round((span * e) / edits)).toISOString(),
          })
        }
      }
    }
  }

  private seedUsers(): UserRecord[] {
    const out: UserRecord[] = []
    for (let i = 0; i < FIRST_NAMES.length; i++) {
      const firstName = FIRST_NAMES[i] as string
      const lastName = LAST_NAMES[i] as string
      const user: UserRecord = {
        id: this.random.uuid(),
        userName: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@example.com`,
        email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@example.com`,
        firstName,
        lastName,
        technicalUser: false,
        role: i === 0 ? 'ADMIN' : i < 8 ? 'MEMBER' : 'VIEWER',
        status: 'ACTIVE',
      }
      this.store.putUser(user)
      out.push(user)
    }
    return out
  }

  private seedSubscriptionRoles(): SubscriptionRoleRecord[] {
    const roles: Array<[string, SubscriptionType, string[]]> = [
      ['Business Owner', 'RESPONSIBLE', []],
      ['IT Owner', 'RESPONSIBLE', []],
      ['Application Owner', 'ACCOUNTABLE', ['Application']],
      ['Solution Architect', 'OBSERVER', []],
    ]
    return roles.map(([name, subscriptionType, restrict]) => {
      const role: SubscriptionRoleRecord = {
        id: this.random.uuid(),
        name,
        description: null,
        subscriptionType,
        restrictToFactSheetTypes: restrict,
      }
      this.store.putSubscriptionRole(role)
      return role
    })
  }

  private seedTags(): { hosting: TagRecord[]; other: TagRecord[] } {
    const hostingGroup: TagGroupRecord = {
      id: this.random.uuid(),
      name: 'Hosting Type',
      shortName: 'HT',
      description: 'Where an application runs',
      mode: 'SINGLE',
      mandatory: false,
      restrictToFactSheetTypes: ['Application'],
    }
    this.store.putTagGroup(null, hostingGroup)
    const tag = (name: string, color: string, tagGroupId: string | null): TagRecord => {
      const record: TagRecord = { id: this.random.uuid(), name, description: null, color, status: 'ACTIVE', tagGroupId }
      this.store.putTag(null, record)
      return record
    }
    return {
      hosting: [
        tag('Cloud', '#1e88e5', hostingGroup.id),
        tag('On-Premise', '#6d4c41', hostingGroup.id),
        tag('Hybrid', '#8e24aa', hostingGroup.id),
      ],
      other: [tag('GDPR relevant', '#e53935', null), tag('Sunset candidate', '#fb8c00', null)],
    }
  }

  private seedSubscriptions(apps: FactSheetRecord[], users: UserRecord[], roles: SubscriptionRoleRecord[]): void {
    const accountableRole = roles.find((r) => r.subscriptionType === 'ACCOUNTABLE')
    const responsibleRole = roles.find((r) => r.subscriptionType === 'RESPONSIBLE')
    for (const app of apps) {
      if (!this.random.chance(0.6)) continue
      const [owner, responsible] = this.random.sample(
        users.filter((u) => u.role !== 'VIEWER'),
        2,
      )
      if (owner && accountableRole) {
        this.store.putSubscription(null, {
          id: this.random.uuid(),
          factSheetId: app.id,
          userId: owner.id,
          type: 'ACCOUNTABLE',
          roles: [{ id: accountableRole.id, comment: null }],
          createdAt: app.createdAt,
        })
      }
      if (responsible && responsibleRole && this.random.chance(0.5)) {
        this.store.putSubscription(null, {
          id: this.random.uuid(),
          factSheetId: app.id,
          userId: responsible.id,
          type: 'RESPONSIBLE',
          roles: [{ id: responsibleRole.id, comment: null }],
          createdAt: app.createdAt,
        })
      }
    }
  }
}
