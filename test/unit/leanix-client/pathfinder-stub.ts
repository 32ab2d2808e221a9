// A minimal allFactSheets over an in-memory list, with LeanIX's hard cap applied to the whole
// cursor traversal (hasNextPage turns false at `cap` edges, totalCount still tells the truth),
// the strictest reading of "max 15 000 edges per query". Enough to exercise partitioning.
import { DATA_MODEL, startStub, tokenReply, type Stub, type StubReply, type StubRequest } from './stub-leanix.ts'

export interface StubFactSheet {
  id: string
  type: string
  name: string
  rev: number
  updatedAt: string
  status?: string
  [field: string]: unknown
}

interface Facet {
  facetKey: string
  keys?: string[]
  operator?: string
}

interface Filter {
  facetFilters?: Facet[]
  ids?: string[]
}

export function matchesStubFilter(fs: StubFactSheet, filter: Filter | undefined): boolean {
  if (filter?.ids?.length && !filter.ids.includes(fs.id)) return false
  return (filter?.facetFilters ?? []).every((f) => {
    const keys = f.keys ?? []
    const value = f.facetKey === 'FactSheetTypes' ? fs.type : fs[f.facetKey]
    return keys.some((k) => (k === '__missing__' ? value === undefined || value === null : value === k))
  })
}

export interface PathfinderStubOptions {
  factSheets: StubFactSheet[]
  cap: number
  /** called before a read page is answered, to mutate the list between pages */
  beforePage?: (offset: number) => void
  /** answers a mutation document */
  onMutation?: (req: StubRequest) => StubReply
}

export async function startPathfinderStub(options: PathfinderStubOptions): Promise<Stub> {
  return startStub((req) => {
    if (req.path.endsWith('/oauth2/token')) return tokenReply()
    if (req.path.endsWith('/models/dataModel')) return { body: DATA_MODEL }
    const { query, variables } = req.json() as { query: string; variables: Record<string, unknown> }
    if (query.startsWith('mutation')) return options.onMutation?.(req) ?? { status: 400 }
    if (query.includes('CrosswalkCount')) {
      const data: Record<string, { totalCount: number }> = {}
      for (const [k, f] of Object.entries(variables)) {
        data[`c${k.slice(1)}`] = {
          totalCount: options.factSheets.filter((fs) => matchesStubFilter(fs, f as Filter)).length,
        }
      }
      return { body: { data } }
    }
    if (query.includes('CrosswalkFactSheet')) {
      return { body: { data: { factSheet: options.factSheets.find((fs) => fs.id === variables.id) ?? null } } }
    }
    const filter = variables.filter as Filter | undefined
    let list = options.factSheets.filter((fs) => matchesStubFilter(fs, filter))
    const sort = variables.sort as Array<{ key: string; order: string }> | null | undefined
    if (sort?.[0]?.key === 'updatedAt') list = [...list].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
    const offset = variables.after
      ? Number(Buffer.from(String(variables.after), 'base64').toString().split('#')[1]) + 1
      : 0
    options.beforePage?.(offset)
    if (options.beforePage) list = options.factSheets.filter((fs) => matchesStubFilter(fs, filter))
    const first = Number(variables.first ?? options.cap)
    const end = Math.min(offset + first, list.length, options.cap)
    const slice = list.slice(offset, end)
    return {
      body: {
        data: {
          allFactSheets: {
            totalCount: list.length,
            pageInfo: {
              hasNextPage: end < Math.min(list.length, options.cap),
              endCursor: slice.length ? Buffer.from(`mix:1#${end - 1}`).toString('base64') : null,
            },
            edges: slice.map((node) => ({ node })),
          },
        },
      },
    }
  })
}

export function makeApps(n: number, pick: (i: number) => Partial<StubFactSheet> = () => ({})): StubFactSheet[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `fs-${String(i).padStart(5, '0')}`,
    type: 'Application',
    name: `App ${i}`,
    rev: 1,
    updatedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    tags: [],
    ...pick(i),
  }))
}
