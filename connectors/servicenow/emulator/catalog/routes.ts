// Service Catalog API (sn_sc): order_now, and the two-step cart (add_to_cart, then
// cart/submit_order). Shapes from ServiceNow's Service Catalog API docs (docs/reference/servicenow.md §3.6).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ServiceNowEmulator } from '../emulator.ts'
import { respond, respondError, stateOf } from '../http/respond.ts'
import { snError, SnErrors } from '../table-api/envelope.ts'
import { toStoredString } from '../table-api/write-values.ts'
import type { CartItem } from './cart.ts'
import { placeOrder } from './ordering.ts'

const PREFIXES = ['/api/sn_sc/servicecatalog', '/api/sn_sc/v1/servicecatalog']

interface ItemRoute {
  Params: { sys_id: string }
}

const money = (n: number): string => `$${n.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`

export function registerCatalogApi(app: FastifyInstance, emulator: ServiceNowEmulator): void {
  const data = emulator.data

  /** validates an order body against the item; answers the documented 400s itself */
  const cartItem = (request: FastifyRequest<ItemRoute>, reply: FastifyReply): CartItem | undefined => {
    let body: Record<string, unknown>
    try {
      const raw = typeof request.body === 'string' && request.body.trim() !== '' ? JSON.parse(request.body) : {}
      body = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {}
    } catch (err) {
      respondError(request, reply, SnErrors.badRequestBody(err instanceof Error ? err.message : String(err)))
      return undefined
    }
    const item = data.get('sc_cat_item', request.params.sys_id)
    if (!item || item.store.value(item.row, 'active') !== 'true') {
      respondError(request, reply, snError(400, 'Security constraints prevent ordering of Item', null))
      return undefined
    }
    const quantity = Number(toStoredString(body.sysparm_quantity))
    if (!Number.isInteger(quantity) || quantity <= 0) {
      respondError(request, reply, snError(400, 'Invalid quantity value', null))
      return undefined
    }
    const variables: Record<string, string> = {}
    if (body.variables && typeof body.variables === 'object') {
      for (const [k, v] of Object.entries(body.variables as Record<string, unknown>)) variables[k] = toStoredString(v)
    }
    const missing = mandatoryVariables(request.params.sys_id).filter((name) => !variables[name])
    if (missing.length > 0) {
      respondError(request, reply, snError(400, 'Mandatory Variables are required', missing.join(', ')))
      return undefined
    }
    const requestedFor = toStoredString(body.sysparm_requested_for)
    if (requestedFor && !data.get('sys_user', requestedFor)) {
      respondError(request, reply, snError(400, 'Invalid requested_for user', requestedFor))
      return undefined
    }
    return {
      cartItemId: newId(),
      catalogItemId: request.params.sys_id,
      quantity,
      requestedFor: requestedFor || undefined,
      variables,
    }
  }

  const mandatoryVariables = (itemSysId: string): string[] => {
    const t = data.table('item_option_new')
    const store = data.storeOf(t)
    const out: string[] = []
    for (let i = 0; i < store.size; i++) {
      const row = store.at(i) as string[]
      if (store.value(row, 'cat_item') === itemSysId && store.value(row, 'mandatory') === 'true') {
        out.push(store.value(row, 'name'))
      }
    }
    return out
  }

  const priceOf = (itemSysId: string): number => {
    const ref = data.get('sc_cat_item', itemSysId)
    return ref ? Number(ref.store.value(ref.row, 'price') || '0') : 0
  }

  for (const prefix of PREFIXES) {
    app.post<ItemRoute>(`${prefix}/items/:sys_id/order_now`, async (request, reply) => {
      const item = cartItem(request, reply)
      if (!item) return reply
      const user = stateOf(request).user
      if (!user) return respondError(request, reply, SnErrors.notAuthenticated())
      const order = placeOrder(data, [item], user)
      return respond(request, reply, 200, {
        result: {
          sys_id: order.requestSysId,
          number: order.requestNumber,
          request_number: order.requestNumber,
          request_id: order.requestSysId,
          table: 'sc_request',
        },
      })
    })

    app.post<ItemRoute>(`${prefix}/items/:sys_id/add_to_cart`, async (request, reply) => {
      const item = cartItem(request, reply)
      if (!item) return reply
      const user = stateOf(request).user
      if (!user) return respondError(request, reply, SnErrors.notAuthenticated())
      const cart = emulator.carts.of(user.userName)
      cart.items.push(item)
      const items = cart.items.map((i) => {
        const ref = data.get('sc_cat_item', i.catalogItemId)
        const price = priceOf(i.catalogItemId)
        return {
          catalog_item_id: i.catalogItemId,
          quantity: String(i.quantity),
          localized_price: money(price),
          price: money(price),
          recurring_frequency: '',
          localized_recurring_price: money(0),
          recurring_price: money(0),
          item_name: ref ? ref.store.value(ref.row, 'name') : '',
          cart_item_id: i.cartItemId,
        }
      })
      const subtotal = cart.items.reduce((s, i) => s + priceOf(i.catalogItemId) * i.quantity, 0)
      return respond(request, reply, 200, { result: { cart_id: cart.cartId, subtotal: money(subtotal), items } })
    })

    app.post(`${prefix}/cart/submit_order`, async (request, reply) => {
      const user = stateOf(request).user
      if (!user) return respondError(request, reply, SnErrors.notAuthenticated())
      const items = emulator.carts.checkout(user.userName)
      if (items.length === 0) return respondError(request, reply, snError(400, 'Cart is empty', null))
      const order = placeOrder(data, items, user)
      return respond(request, reply, 200, {
        result: { request_number: order.requestNumber, request_id: order.requestSysId },
      })
    })
  }
}

const newId = (): string => crypto.randomUUID().replace(/-/g, '')
