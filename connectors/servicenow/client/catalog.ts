// Service Catalog ordering (the IdentityNow ticketing flow): order_now in one step, or the
// two-step cart (add_to_cart, then submit_order). An instance configured for two-step checkout
// answers order_now with only a cart_id; the order is then completed with submit_order.
// Orders are not idempotent, so a POST that may have reached the instance is never sent again.
import { ServiceNowErrors } from '../errors.ts'
import { assertName } from './query.ts'
import type { Transport } from './transport.ts'

export interface CatalogOrderInput {
  /** sys_id of the sc_cat_item */
  itemSysId: string
  quantity?: number
  /** sys_user sys_id the request is for */
  requestedFor?: string
  /** catalog variables by name */
  variables?: Record<string, string>
  signal?: AbortSignal
}

export interface CatalogOrder {
  /** sys_id of the sc_request */
  requestId: string
  /** REQ number */
  requestNumber: string
  table: string
}

export interface CartAddition {
  cartId: string
  /** sys_id of the added cart item, when the answer names it */
  cartItemId?: string
}

function orderBody(input: CatalogOrderInput): Record<string, unknown> {
  const quantity = input.quantity ?? 1
  if (!Number.isInteger(quantity) || quantity < 1) {
    throw new ServiceNowErrors.CATALOG_ORDER_FAILED(
      input.itemSysId,
      `quantity must be a positive integer, got ${quantity}`,
    )
  }
  return {
    sysparm_quantity: String(quantity),
    ...(input.requestedFor ? { sysparm_requested_for: input.requestedFor } : {}),
    variables: input.variables ?? {},
  }
}

function asOrder(result: Record<string, unknown>): CatalogOrder | undefined {
  const requestId = result.request_id ?? result.sys_id
  const requestNumber = result.request_number ?? result.number
  if (typeof requestId !== 'string' || typeof requestNumber !== 'string' || !requestId || !requestNumber)
    return undefined
  return { requestId, requestNumber, table: typeof result.table === 'string' ? result.table : 'sc_request' }
}

function resultObject(itemSysId: string, body: unknown): Record<string, unknown> {
  const result = (body as { result?: unknown } | undefined)?.result
  if (typeof result !== 'object' || result === null || Array.isArray(result)) {
    throw new ServiceNowErrors.CATALOG_ORDER_FAILED(itemSysId, 'the answer has no result object')
  }
  return result as Record<string, unknown>
}

export class ServiceCatalog {
  readonly #transport: Transport

  constructor(transport: Transport) {
    this.#transport = transport
  }

  /** Orders one item; completes the order with submit_order when the instance uses two-step checkout. */
  async orderNow(input: CatalogOrderInput): Promise<CatalogOrder> {
    const res = await this.#transport.request({
      method: 'POST',
      path: `/api/sn_sc/servicecatalog/items/${assertName(input.itemSysId)}/order_now`,
      body: orderBody(input),
      idempotent: false,
      ...(input.signal ? { signal: input.signal } : {}),
    })
    const result = resultObject(input.itemSysId, res.body)
    const order = asOrder(result)
    if (order) return order
    if (typeof result.cart_id === 'string') return this.submitOrder(input.itemSysId, input.signal)
    throw new ServiceNowErrors.CATALOG_ORDER_FAILED(input.itemSysId, 'order_now returned neither a request nor a cart')
  }

  async addToCart(input: CatalogOrderInput): Promise<CartAddition> {
    const res = await this.#transport.request({
      method: 'POST',
      path: `/api/sn_sc/servicecatalog/items/${assertName(input.itemSysId)}/add_to_cart`,
      body: orderBody(input),
      idempotent: false,
      ...(input.signal ? { signal: input.signal } : {}),
    })
    const result = resultObject(input.itemSysId, res.body)
    if (typeof result.cart_id !== 'string') {
      throw new ServiceNowErrors.CATALOG_ORDER_FAILED(input.itemSysId, 'add_to_cart returned no cart_id')
    }
    const items = Array.isArray(result.items) ? (result.items as Array<Record<string, unknown>>) : []
    const added = items.find((item) => item.catalog_item_id === input.itemSysId || item.item_id === input.itemSysId)
    const cartItemId = added?.cart_item_id
    return { cartId: result.cart_id, ...(typeof cartItemId === 'string' ? { cartItemId } : {}) }
  }

  /** Submits the integration user's cart: creates the sc_request and its sc_req_items. */
  async submitOrder(itemForErrors = 'cart', signal?: AbortSignal): Promise<CatalogOrder> {
    const res = await this.#transport.request({
      method: 'POST',
      path: '/api/sn_sc/servicecatalog/cart/submit_order',
      body: {},
      idempotent: false,
      ...(signal ? { signal } : {}),
    })
    const order = asOrder(resultObject(itemForErrors, res.body))
    if (!order) throw new ServiceNowErrors.CATALOG_ORDER_FAILED(itemForErrors, 'submit_order returned no request_id')
    return order
  }
}
