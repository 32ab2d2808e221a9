// How the emulator reads request bodies, as LeanIX's services do (issue 17 points 1-2):
// - a POST without Content-Type is read as JSON: LeanIX's own scripts post GraphQL that way
//   (python `requests.post(url, headers={Authorization}, data=json.dumps(...))`, leanix-public/scripts
//   createDocuments.py, deleteTags/deleteTag.py), and so is a `text/plain` body (what `fetch` labels
//   a string body it was given no type for);
// - an empty body is no body, whatever its Content-Type: LeanIX's generated clients send
//   `Content-Type: application/json` on every request, bodyless DELETE and GET included
//   (leanix-sdk-java SettingsApi, Knuckles-Team/leanix-agent api_client_webhooks.py);
// - the MTM token endpoint takes a form body.
import type { FastifyInstance, FastifyRequest } from 'fastify'

class BodyNotJsonError extends Error {
  readonly statusCode = 400
  readonly code = 'BODY_NOT_JSON'
}

function parseJsonOrNothing(_request: FastifyRequest, body: string, done: (err: Error | null, body?: unknown) => void) {
  if (body.trim() === '') {
    done(null, undefined)
    return
  }
  try {
    done(null, JSON.parse(body) as unknown)
  } catch {
    done(new BodyNotJsonError(`The request body is not valid JSON: ${body.slice(0, 80)}`))
  }
}

export function leanixBodyParsing(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json', 'text/plain'])
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'string' }, parseJsonOrNothing)
  // no Content-Type at all, or one nobody declared: read it as JSON too
  app.addContentTypeParser('*', { parseAs: 'string' }, parseJsonOrNothing)
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))))
  })
}
