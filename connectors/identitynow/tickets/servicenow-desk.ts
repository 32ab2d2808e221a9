// Tickets in ServiceNow, one kind per integration: a catalog request for the source's catalog
// item (order_now, or the two-step cart when attributes.checkout is "cart"), an incident, or a
// record of any table. Every ticket carries the plan's correlation id in correlation_id, which
// is looked up before any create, so a create that landed before a crash is found, not repeated.
// A catalog order also carries it as the catalog variable correlation_id, the only mark an order
// has before the hub writes correlation_id on the RITM and REQ: a crash between the two is
// repaired by finding the order whose answer is this plan's id.
import { queryCondition, queryInList, type ServiceNowClient, type SnRecord } from '../../servicenow/index.ts'
import { IdnErrors } from '../errors.ts'
import type { TicketRef } from '../provisioning/records.ts'
import type { TicketSettings } from './settings.ts'

export const CORRELATION_FIELD = 'correlation_id'
/** the catalog variable an order carries the correlation id in; the items must define it */
export const CORRELATION_VARIABLE = 'correlation_id'
/** variable set sys_ids per item_option_new query (32 characters each, so about 3.3 KB of URL) */
const VARIABLE_SET_CHUNK = 100

export interface TicketRequest {
  correlationId: string
  sourceId: string
  /** rendered fields (record fields; catalog variables for a service request) */
  fields: Record<string, string>
  /** the whole plan, kept on the ticket when the description had to be cut */
  fullPlan: string
  /** integration name, for error messages */
  integration: string
  checkout: 'order_now' | 'cart'
}

const TRUNCATION_NOTE = '\n[... cut; the full provisioning plan is in the work notes]'

/** Caps long text fields; returns whether anything was cut. */
export function capFields(
  fields: Record<string, string>,
  limit: number,
): { fields: Record<string, string>; cut: boolean } {
  let cut = false
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(fields)) {
    const max = name === 'short_description' ? Math.min(limit, 160) : limit
    if (value.length > max) {
      cut = true
      out[name] =
        name === 'short_description'
          ? value.slice(0, max)
          : value.slice(0, Math.max(0, max - TRUNCATION_NOTE.length)) + TRUNCATION_NOTE
    } else out[name] = value
  }
  return { fields: out, cut }
}

function ref(table: string, record: SnRecord): TicketRef {
  return { table, number: String(record.number ?? record.sys_id), sysId: String(record.sys_id) }
}

export class ServiceNowDesk {
  /** The ticket an earlier attempt made for this correlation id, if any. */
  async find(
    client: ServiceNowClient,
    settings: TicketSettings,
    correlationId: string,
  ): Promise<TicketRef | undefined> {
    const table = settings.ticketType === 'serviceRequest' ? 'sc_req_item' : settings.table
    const found = await client.findRecord(table, CORRELATION_FIELD, correlationId)
    if (!found) return undefined
    if (settings.ticketType !== 'serviceRequest' || settings.trackTable === 'sc_req_item') return ref(table, found)
    const requestId = String(found.request ?? '')
    const request = requestId ? await client.getRecord('sc_request', requestId, ['sys_id', 'number']) : undefined
    return request ? ref('sc_request', request) : ref(table, found)
  }

  async create(client: ServiceNowClient, settings: TicketSettings, request: TicketRequest): Promise<TicketRef> {
    const { fields, cut } = capFields(request.fields, settings.descriptionLimit)
    const planNote = cut ? { work_notes: `Full provisioning plan:\n${request.fullPlan}` } : {}
    if (settings.ticketType !== 'serviceRequest') {
      const { record } = await client.createRecord(
        settings.table,
        { ...fields, ...planNote },
        { correlation: { field: CORRELATION_FIELD, value: request.correlationId } },
      )
      return ref(settings.table, record)
    }
    const itemSysId = settings.catalogItem[request.sourceId]
    if (!itemSysId) {
      throw new IdnErrors.TICKET_CONFIG_MISSING(request.integration, `no catalogItem for source ${request.sourceId}`)
    }
    const variables = { ...fields, [CORRELATION_FIELD]: request.correlationId }
    let order
    if (request.checkout === 'cart') {
      await client.addToCart({ itemSysId, variables })
      order = await client.submitCart()
    } else {
      order = await client.orderCatalogItem({ itemSysId, variables })
    }
    // the catalog API cannot set task fields: mark the item and the request right after ordering
    const item = await client.findRecord('sc_req_item', 'request', order.requestId)
    if (!item) throw new IdnErrors.TICKET_CREATE_FAILED(`request ${order.requestNumber} has no requested item`)
    await client.updateRecord('sc_req_item', String(item.sys_id), {
      [CORRELATION_FIELD]: request.correlationId,
      ...planNote,
    })
    await client.updateRecord('sc_request', order.requestId, { [CORRELATION_FIELD]: request.correlationId })
    if (settings.trackTable === 'sc_req_item') return ref('sc_req_item', item)
    return { table: 'sc_request', number: order.requestNumber, sysId: order.requestId }
  }

  /**
   * After a crash between ordering and marking: the order whose `correlation_id` variable answer
   * is this plan's id, marked now. On the platform the answers are sc_item_option rows (value,
   * item_option_new = the variable) linked to the RITM by sc_item_option_mtom (request_item,
   * sc_item_option), and the Table API dot-walks from the link (clients such as
   * gflewis/servicenow-soap lib/ServiceNow/SOAP.pm read them this way), so one query finds it. No answer: the order was
   * never placed, unless the catalog item has no such variable (neither its own nor from a
   * variable set), in which case nothing can tell orders apart and the record is left for a decision by hand
   * (CW_IDN_CATALOG_ORPHAN_UNRESOLVED). Only used once the claim's lease has run out, so no live
   * create is still working on it.
   */
  async adoptOrphan(
    client: ServiceNowClient,
    settings: TicketSettings,
    request: Pick<TicketRequest, 'correlationId' | 'sourceId'>,
  ): Promise<TicketRef | undefined> {
    if (settings.ticketType !== 'serviceRequest') return undefined
    const itemSysId = settings.catalogItem[request.sourceId]
    if (!itemSysId) return undefined
    const order = await this.orderCarrying(client, request.correlationId)
    if (!order) {
      if (await this.definesCorrelationVariable(client, itemSysId)) return undefined
      throw new IdnErrors.CATALOG_ORPHAN_UNRESOLVED(request.correlationId, itemSysId, CORRELATION_VARIABLE)
    }
    await client.updateRecord('sc_req_item', order.item, { [CORRELATION_FIELD]: request.correlationId })
    if (order.request) {
      await client.updateRecord('sc_request', order.request, { [CORRELATION_FIELD]: request.correlationId })
    }
    return this.find(client, settings, request.correlationId)
  }

  /** The requested item (and its request) whose correlation variable holds this value; the oldest if several. */
  async orderCarrying(
    client: ServiceNowClient,
    correlationId: string,
  ): Promise<{ item: string; request: string } | undefined> {
    const filter = [
      queryCondition('sc_item_option.value', '=', correlationId),
      queryCondition('sc_item_option.item_option_new.name', '=', CORRELATION_VARIABLE),
    ].join('^')
    const links: SnRecord[] = []
    for await (const page of client.readTable('sc_item_option_mtom', {
      filter,
      fields: ['request_item', 'request_item.request', 'request_item.sys_created_on'],
    })) {
      links.push(...page.records.filter((link) => String(link.request_item ?? '') !== ''))
    }
    const oldest = links.sort((a, b) =>
      String(a['request_item.sys_created_on']).localeCompare(String(b['request_item.sys_created_on'])),
    )[0]
    if (!oldest) return undefined
    return { item: String(oldest.request_item), request: String(oldest['request_item.request'] ?? '') }
  }

  /**
   * Whether the catalog item asks for the correlation variable: defined on the item itself
   * (item_option_new.cat_item) or in a variable set attached to it. A set's variables are
   * item_option_new rows whose variable_set points at the set (item_option_new_set), and the set
   * is attached by io_set_item (sc_cat_item, variable_set): ServiceNow docs, CatalogItemVariableSetM2M
   * (servicenow.com/docs/r/yokohama/api-reference/server-api-reference/c_CatalogItemVariableSetM2M.html,
   * "Catalog Variable Sets table [io_set_item]"); a Jakarta script include reads them the same way
   * (getVariablesReferenceQualifier.js as dumped in jacebenson/sndocs: io_set_item by sc_cat_item,
   * then variable_setIN<sets> or cat_item=<item>). So: the item's sets, then one query for the
   * variable on either, the set ids VARIABLE_SET_CHUNK at a time to keep the URL short. Rows the
   * integration user cannot read count as absent: the safe side (a decision by hand, no reorder).
   */
  async definesCorrelationVariable(client: ServiceNowClient, itemSysId: string): Promise<boolean> {
    const sets: string[] = []
    for await (const page of client.readTable('io_set_item', {
      filter: queryCondition('sc_cat_item', '=', itemSysId),
      fields: ['variable_set'],
    })) {
      for (const link of page.records) {
        const set = String(link.variable_set ?? '')
        if (set !== '' && !sets.includes(set)) sets.push(set)
      }
    }
    const own = queryCondition('cat_item', '=', itemSysId)
    const chunks: string[][] = []
    for (let i = 0; i < sets.length; i += VARIABLE_SET_CHUNK) chunks.push(sets.slice(i, i + VARIABLE_SET_CHUNK))
    for (const chunk of chunks.length > 0 ? chunks : [[]]) {
      const owner = chunk.length > 0 ? `${own}^OR${queryInList('variable_set', chunk)}` : own
      const filter = `${queryCondition('name', '=', CORRELATION_VARIABLE)}^${owner}`
      for await (const page of client.readTable('item_option_new', { filter, fields: ['name'] })) {
        if (page.records.length > 0) return true
      }
    }
    return false
  }

  /** The tracked record's state, as the status map reads it. */
  async state(client: ServiceNowClient, settings: TicketSettings, ticket: TicketRef): Promise<string | undefined> {
    const record = await client.getRecord(ticket.table, ticket.sysId, ['sys_id', settings.stateField])
    if (!record) return undefined
    const value = record[settings.stateField]
    return value === undefined || value === null ? undefined : String(value)
  }
}
