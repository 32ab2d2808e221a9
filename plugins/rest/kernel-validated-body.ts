// Routes whose body is a mapping definition (or part of one) leave the body to the mapping
// kernel: Fastify's validator would strip members while it tries each branch of the field
// mapping union (removeAdditional), and could only say "must match a schema in anyOf". The
// kernel checks the same TypeBox schema and names every problem at its JSON pointer
// (CW_MAPPING_INVALID). The body schema stays on the route for the OpenAPI document; params,
// headers and query strings are still checked here, with the same schemas.
import type { FastifyRouteSchemaDef, FastifyValidationResult } from 'fastify/types/schema.js'
import type { TSchema } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import '../../core/schema/formats.ts'

export function kernelValidatesBody<S>({ schema, httpPart }: FastifyRouteSchemaDef<S>): FastifyValidationResult {
  if (httpPart === 'body') {
    return (data) =>
      typeof data === 'object' && data !== null && !Array.isArray(data)
        ? { value: data }
        : { error: [{ instancePath: '', keyword: 'type', params: {}, message: 'must be an object' }] as never }
  }
  const check = TypeCompiler.Compile(schema as TSchema)
  return (data) => {
    if (check.Check(data)) return { value: data }
    const first = check.Errors(data).First()
    const issue = {
      instancePath: first?.path ?? '',
      keyword: 'schema',
      params: {},
      message: first?.message ?? 'is invalid',
    }
    return { error: [issue] as never }
  }
}
