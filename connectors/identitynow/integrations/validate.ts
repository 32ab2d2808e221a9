// What the hub checks when an integration is saved (SailPoint leaves attributes to "the
// implementation"): the ServiceNow URL, the auth kind and what it needs, the ticket settings, the
// status map (Queued|Committed|Failed, at least one Committed) and every template compiles.
import { CoreErrors } from '../../../core/errors.ts'
import { urlHasCredentials } from '../../../core/connections/url-settings.ts'
import { IdnErrors } from '../errors.ts'
import { urlAttributes } from './secrets.ts'
import { compileTemplate } from '../templates/engine.ts'
import { ticketSettings } from '../tickets/settings.ts'
import type { ServiceDeskIntegrationDto } from './model.ts'

export function validateIntegration(dto: Omit<ServiceDeskIntegrationDto, 'id' | 'created' | 'modified'>): void {
  if (typeof dto.name !== 'string' || dto.name.trim() === '')
    throw new IdnErrors.INTEGRATION_INVALID('name is required')
  if (typeof dto.type !== 'string' || dto.type.trim() === '')
    throw new IdnErrors.INTEGRATION_INVALID('type is required')
  const a = dto.attributes
  for (const key of urlAttributes(a)) {
    if (urlHasCredentials(a[key])) throw new CoreErrors.URL_CREDENTIALS(`attributes.${key}`, 'attributes.password')
  }
  if (a.url !== undefined) {
    let url: URL | undefined
    try {
      url = new URL(String(a.url))
    } catch {
      url = undefined
    }
    if (!url || !/^https?:$/.test(url.protocol)) {
      throw new IdnErrors.INTEGRATION_INVALID('attributes.url must be the http(s) URL of the ServiceNow instance')
    }
  }
  const authType = a.authType ?? a.authenticationType
  if (authType !== undefined && authType !== 'Basic' && authType !== 'OAuth2') {
    throw new IdnErrors.INTEGRATION_INVALID('attributes.authType must be Basic or OAuth2')
  }
  if (authType === 'OAuth2' && a.clientId === undefined) {
    throw new IdnErrors.INTEGRATION_INVALID('attributes.clientId is required with OAuth2')
  }
  if (authType === 'Basic' && a.username === undefined) {
    throw new IdnErrors.INTEGRATION_INVALID('attributes.username is required with Basic')
  }
  const settings = ticketSettings(a)
  for (const [field, source] of Object.entries(settings.request)) compileTemplate(field, source)
}
