// SailPoint's own OpenAPI files (pinned in test/fixtures/sailpoint-api-specs, MIT) as the oracle for
// the compatible API: requests and responses are validated against the operation of the
// per-service v1 spec that matches them (every path family serves the same shapes).
import SwaggerParser from '@apidevtools/swagger-parser'
import requestValidatorModule, {
  type IOpenAPIRequestValidator,
  type OpenAPIRequestValidatorArgs,
} from 'openapi-request-validator'
import responseValidatorModule, {
  type IOpenAPIResponseValidator,
  type OpenAPIResponseValidatorArgs,
} from 'openapi-response-validator'
import type { OpenAPIV3 } from 'openapi-types'
import { fileURLToPath } from 'node:url'

const SPECS = ['service-desk-integration', 'sim-integrations'].map((api) =>
  fileURLToPath(new URL(`../../fixtures/sailpoint-api-specs/idn/apis/${api}/openapi.yaml`, import.meta.url)),
)

// CommonJS modules compiled with __esModule: Node's ESM import hands over module.exports
function commonJsDefault<T>(module: unknown): T {
  return ((module as { default?: T }).default ?? module) as T
}
type RequestValidatorClass = new (args: OpenAPIRequestValidatorArgs) => IOpenAPIRequestValidator
type ResponseValidatorClass = new (args: OpenAPIResponseValidatorArgs) => IOpenAPIResponseValidator
const OpenAPIRequestValidator = commonJsDefault<RequestValidatorClass>(requestValidatorModule)
const OpenAPIResponseValidator = commonJsDefault<ResponseValidatorClass>(responseValidatorModule)

type Spec = OpenAPIV3.Document
type Operation = OpenAPIV3.OperationObject

let loaded: Promise<Spec[]> | undefined

async function specs(): Promise<Spec[]> {
  loaded ??= Promise.all(
    SPECS.map(async (path) => {
      const document = await SwaggerParser.dereference(path)
      if (!('openapi' in document) || !document.openapi.startsWith('3.0')) throw new Error(`${path} is not OpenAPI 3.0`)
      return document as Spec
    }),
  )
  return loaded
}

/** Maps any family's concrete path to the v1 spec template, e.g. /v3/service-desk-integrations/abc -> /service-desk-integrations/v1/{id}. */
export function specTemplate(path: string): string {
  const clean = path.split('?')[0] ?? path
  const m =
    /(?:^\/(?:v3|beta|v20\d\d)\/(service-desk-integrations|sim-integrations)|^\/(service-desk-integrations|sim-integrations)\/v1)(\/.*)?$/.exec(
      clean,
    )
  if (!m) throw new Error(`not a compatible API path: ${path}`)
  const resource = m[1] ?? m[2]
  const rest = m[3] ?? ''
  let tail: string
  if (/^\/templates\/[^/]+$/.test(rest)) tail = '/templates/{scriptName}'
  else if (rest === '/types' || rest === '/status-check-configuration' || rest === '') tail = rest
  else if (/^\/[^/]+\/beforeProvisioningRule$/.test(rest)) tail = '/{id}/beforeProvisioningRule'
  else tail = '/{id}'
  return `/${resource}/v1${tail}`
}

async function operation(method: string, path: string): Promise<Operation> {
  const template = specTemplate(path)
  for (const spec of await specs()) {
    const op = spec.paths[template]?.[method.toLowerCase() as OpenAPIV3.HttpMethods]
    if (op) return op
  }
  throw new Error(`no operation ${method} ${template} in the SailPoint specs`)
}

/** Returns the validation errors of a response (empty when it conforms). */
export async function responseErrors(method: string, path: string, status: number, body: unknown): Promise<unknown[]> {
  const op = await operation(method, path)
  const validator = new OpenAPIResponseValidator({ responses: op.responses as never })
  const result = validator.validateResponse(String(status), body)
  return result ? (result.errors as unknown[]) : []
}

/** Returns the validation errors of a request (empty when it conforms). */
export async function requestErrors(
  method: string,
  path: string,
  request: {
    body?: unknown
    query?: Record<string, unknown>
    headers?: Record<string, unknown>
    params?: Record<string, unknown>
    contentType?: string
  },
): Promise<unknown[]> {
  const op = await operation(method, path)
  const validator = new OpenAPIRequestValidator({
    parameters: (op.parameters ?? []) as never,
    requestBody: op.requestBody as never,
  })
  const result = validator.validateRequest({
    headers: {
      'x-sailpoint-experimental': 'true',
      'content-type': request.contentType ?? 'application/json',
      ...request.headers,
    },
    body: structuredClone(request.body),
    query: request.query ?? {},
    params: request.params ?? { id: 'x', scriptName: 'x' },
  })
  // the validator fills in schema defaults before checking readOnly, so it flags read-only
  // members with a default (provisioningConfig.universalManager) that the request never sent
  const sent = (path: string) =>
    path
      .split('.')
      .reduce<unknown>(
        (node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
        request.body,
      ) !== undefined
  const errors = (result ? result.errors : []) as Array<{ errorCode?: string; path?: string }>
  return errors.filter((e) => !(e.errorCode === 'readOnly.openapi.requestValidation' && e.path && !sent(e.path)))
}
