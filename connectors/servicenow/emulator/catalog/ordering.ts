// What ordering a catalog item creates: one sc_request, and per ordered item one sc_req_item
// with its variable answers, for its own variables and those of its variable sets alike
// (sc_item_option rows linked by sc_item_option_mtom, see variables.ts). The request's requested_for is the ordered-for user, else the caller.
import type { Instance } from '../instance/instance.ts'
import { formatGlideDateTime } from '../instance/glide-time.ts'
import type { CartItem } from './cart.ts'
import { storeAnswers } from './variables.ts'

export interface PlacedOrder {
  requestSysId: string
  requestNumber: string
  itemSysIds: string[]
}

export function placeOrder(
  instance: Instance,
  items: CartItem[],
  caller: { userName: string; sysId: string },
): PlacedOrder {
  const requestedFor = items.find((i) => i.requestedFor)?.requestedFor ?? caller.sysId
  const names = items.map((i) => catalogItemName(instance, i.catalogItemId))
  const request = instance.insert(
    'sc_request',
    {
      requested_for: requestedFor,
      opened_by: caller.sysId,
      short_description: names.join(', '),
      request_state: 'in_process',
      stage: 'request_approved',
      opened_at: formatGlideDateTime(instance.now()),
      price: '0',
    },
    caller.userName,
  )
  const requestSysId = request.store.value(request.row, 'sys_id')
  const itemSysIds: string[] = []
  for (const [i, item] of items.entries()) {
    const ritm = instance.insert(
      'sc_req_item',
      {
        request: requestSysId,
        cat_item: item.catalogItemId,
        requested_for: item.requestedFor ?? requestedFor,
        opened_by: caller.sysId,
        quantity: String(item.quantity),
        short_description: names[i] ?? '',
        stage: 'request_approved',
        opened_at: formatGlideDateTime(instance.now()),
      },
      caller.userName,
    )
    const id = ritm.store.value(ritm.row, 'sys_id')
    storeAnswers(instance, id, item.catalogItemId, item.variables, caller.userName)
    itemSysIds.push(id)
  }
  return { requestSysId, requestNumber: request.store.value(request.row, 'number'), itemSysIds }
}

function catalogItemName(instance: Instance, sysId: string): string {
  const ref = instance.get('sc_cat_item', sysId)
  return ref ? ref.store.value(ref.row, 'name') : ''
}
