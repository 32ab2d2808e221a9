// How request bodies, query strings and parameters are checked. Fastify's default validator
// removes the members an object schema does not declare (ajv's removeAdditional), so a misspelt
// field was dropped in silence and its setting quietly not applied. The hub refuses them instead,
// naming the field (CW_VALIDATION). A route that speaks someone else's protocol declares
// `ignoreUnknownMembers` and keeps that protocol's rule: SailPoint's API and OAuth (RFC 6749
// §3.1: unknown request parameters are ignored) accept such members and do not keep them. A route
// whose body a kernel checks declares `bodyCheckedByKernel`: its body need only be an object here
// (the mapping kernel names every problem of a mapping definition at its JSON pointer, where a
// validator could only say "must match a schema in anyOf"); its params, headers and query string
// are checked as on every other route, and the body schema stays for the OpenAPI document.
// Both validators are Fastify's own ajv setup (@fastify/ajv-compiler, with ajv-formats), built with
// the shared schemas (addSchema) visible where each route is declared.
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify'
import { AjvCompiler } from '@fastify/ajv-compiler'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** members an object schema does not declare are accepted and removed, not refused */
    ignoreUnknownMembers?: boolean
    /** the body need only be an object: the handler's kernel checks it against the schema */
    bodyCheckedByKernel?: boolean
  }
}

const buildValidator = AjvCompiler()
type SharedSchemas = Parameters<typeof buildValidator>[0]
const REFUSE = { customOptions: { removeAdditional: false } } as const
const IGNORE = { customOptions: {} } as const

const anObject: FastifySchemaCompiler<unknown> = () => (data) =>
  typeof data === 'object' && data !== null && !Array.isArray(data)
    ? { value: data }
    : {
        error: [
          { instancePath: '', keyword: 'type', params: { type: 'object' }, message: 'must be an object' },
        ] as never,
      }

async function requestValidation(app: FastifyInstance): Promise<void> {
  app.addHook('onRoute', function (route) {
    // a route with its own validator keeps it
    if (route.validatorCompiler) return
    // what addSchema took: JSON Schemas, which Fastify types as unknown
    const schemas = this.getSchemas() as SharedSchemas
    // read when the route's schemas are compiled, after every onRoute hook (a module's hook may
    // declare ignoreUnknownMembers for all its routes after this one ran)
    const compile: FastifySchemaCompiler<unknown> = (definition) =>
      definition.httpPart === 'body' && route.config?.bodyCheckedByKernel === true
        ? anObject(definition)
        : buildValidator(schemas, route.config?.ignoreUnknownMembers === true ? IGNORE : REFUSE)(definition)
    route.validatorCompiler = compile
  })
}

export default fp(requestValidation, { name: 'crosswalk-request-validation' })
