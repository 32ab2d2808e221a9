// The headers of every page the hub serves to a browser (the operator console, GraphiQL) and of
// the files it loads: the page's own Content-Security-Policy, no content sniffing, no referrer
// sent elsewhere, and no window of another origin keeping a hold on it.
import type { FastifyReply } from 'fastify'

export function withPageHeaders(reply: FastifyReply, contentSecurityPolicy: string): FastifyReply {
  return reply
    .header('content-security-policy', contentSecurityPolicy)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cross-origin-opener-policy', 'same-origin')
}
