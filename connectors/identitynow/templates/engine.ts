// Ticket field templates. Rendering goes through LiquidJS configured so that a template can read
// the data it is given and nothing else: own properties only (no prototype walk to
// `constructor`), no file system (include/render/layout find nothing), unknown filters refused,
// and parse/render/memory limits against runaway loops. Liquid has no way to call a function
// or evaluate code. SailPoint-style Velocity templates are translated first (velocity-subset.ts).
import { Liquid, type Template } from 'liquidjs'
import { IdnErrors } from '../errors.ts'
import { looksLikeVelocity, velocityToLiquid } from './velocity-subset.ts'

const engine = new Liquid({
  ownPropertyOnly: true,
  strictFilters: true,
  strictVariables: false,
  templates: {},
  relativeReference: false,
  dynamicPartials: false,
  parseLimit: 100_000,
  renderLimit: 1_000,
  memoryLimit: 10_000_000,
  cache: false,
})

export interface CompiledTemplate {
  name: string
  render(context: Record<string, unknown>): Promise<string>
}

/** Compiles once; throws CW_IDN_TEMPLATE_INVALID with the reason when the text cannot be used. */
export function compileTemplate(name: string, source: string): CompiledTemplate {
  const liquid = looksLikeVelocity(source) ? velocityToLiquid(name, source) : source
  let parsed: Template[]
  try {
    parsed = engine.parse(liquid)
  } catch (error) {
    throw new IdnErrors.TEMPLATE_INVALID(name, (error as Error).message)
  }
  return {
    name,
    async render(context) {
      try {
        return String(await engine.render(parsed, context))
      } catch (error) {
        throw new IdnErrors.TEMPLATE_INVALID(name, (error as Error).message)
      }
    },
  }
}
