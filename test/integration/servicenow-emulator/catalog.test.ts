// Service Catalog API: order_now and the two-step cart create sc_request + sc_req_item rows
// with the documented answer shapes and 400s; variable answers are sc_item_option rows linked by
// sc_item_option_mtom, readable over the Table API (dot-walked) and as variables.<name>.
import { test } from 'tap'
import { seedCsdm } from '../../../connectors/servicenow/emulator/index.ts'
import {
  attachVariableSet,
  defineCatalogItem,
  defineVariableSet,
} from '../../../connectors/servicenow/emulator/seed/catalog-items.ts'
import { call, emulator, get } from './helpers.ts'

test('order_now creates a request and a requested item for the ordered-for user', async (t) => {
  const { url, instance } = await emulator(t)
  const seed = seedCsdm(instance, { relations: 10, users: 5, catalogItems: ['Badge access', 'VPN access'] })
  const item = seed.catalogItems['Badge access'] ?? ''
  const r = await call(url, 'POST', `/api/sn_sc/servicecatalog/items/${item}/order_now`, {
    body: {
      sysparm_quantity: 1,
      sysparm_requested_for: seed.samples.userSysId,
      variables: { requested_identity: 'jdoe', access_action: 'grant' },
    },
  })
  t.equal(r.status, 200)
  const result = r.json.result
  t.match(result, {
    table: 'sc_request',
    number: /^REQ\d{7}$/,
    request_number: result.number,
    sys_id: result.request_id,
  })
  const req = await get(url, `/api/now/table/sc_request/${result.request_id}?sysparm_exclude_reference_link=true`)
  t.equal(req.json.result.requested_for, seed.samples.userSysId)
  const items = await get(
    url,
    `/api/now/table/sc_req_item?sysparm_query=request=${result.request_id}&sysparm_exclude_reference_link=true`,
  )
  t.equal(items.json.result.length, 1)
  t.equal(items.json.result[0].cat_item, item)
  t.match(items.json.result[0].number, /^RITM\d{7}$/)
  t.same(
    instance.itemVariables.get(items.json.result[0].sys_id),
    { requested_identity: 'jdoe', access_action: 'grant', justification: '', correlation_id: '' },
    'one answer per variable the item defines, empty when not sent',
  )
})

test('answers are sc_item_option rows: found by value over the Table API, unknown variables not kept', async (t) => {
  const { url, instance } = await emulator(t)
  const seed = seedCsdm(instance, { relations: 10, users: 5, catalogItems: ['Badge access'] })
  const item = seed.catalogItems['Badge access'] ?? ''
  const order = async (variables: Record<string, string>) => {
    const r = await call(url, 'POST', `/api/sn_sc/servicecatalog/items/${item}/order_now`, {
      body: { sysparm_quantity: 1, variables },
    })
    t.equal(r.status, 200)
    const items = await get(
      url,
      `/api/now/table/sc_req_item?sysparm_query=request=${r.json.result.request_id}&sysparm_fields=sys_id`,
    )
    return items.json.result[0].sys_id as string
  }
  const first = await order({ correlation_id: 'corr-one', access_action: 'grant', not_a_variable: 'dropped' })
  const second = await order({ correlation_id: 'corr-two' })

  const query = encodeURIComponent('sc_item_option.value=corr-two^sc_item_option.item_option_new.name=correlation_id')
  const found = await get(
    url,
    `/api/now/table/sc_item_option_mtom?sysparm_query=${query}&sysparm_fields=request_item,sc_item_option.value&sysparm_exclude_reference_link=true`,
  )
  t.equal(found.status, 200)
  t.same(
    found.json.result,
    [{ request_item: second, 'sc_item_option.value': 'corr-two' }],
    'the order carrying the value',
  )

  const answers = await get(
    url,
    `/api/now/table/sc_item_option_mtom?sysparm_query=request_item=${first}&sysparm_fields=sc_item_option.item_option_new.name,sc_item_option.value`,
  )
  t.same(
    answers.json.result.map((r: Record<string, string>) => r['sc_item_option.item_option_new.name']).sort(),
    ['access_action', 'correlation_id', 'justification', 'requested_identity'],
    'a row per variable of the item; the unknown variable has no question to answer and is not kept',
  )
  const viaVariables = await get(
    url,
    `/api/now/table/sc_req_item/${first}?sysparm_fields=variables.correlation_id,variables.not_a_variable`,
  )
  t.same(viaVariables.json.result, { 'variables.correlation_id': 'corr-one', 'variables.not_a_variable': '' })
  const listed = await get(
    url,
    `/api/now/table/sc_req_item?sysparm_query=sys_idIN${first},${second}&sysparm_fields=sys_id,variables.correlation_id`,
  )
  t.same(
    Object.fromEntries(
      listed.json.result.map((r: Record<string, string>) => [r.sys_id, r['variables.correlation_id']]),
    ),
    { [first]: 'corr-one', [second]: 'corr-two' },
    'a list page answers each item with its own variables',
  )

  // an answer changed over the Table API reads back changed
  const option = await get(
    url,
    `/api/now/table/sc_item_option_mtom?sysparm_query=request_item=${first}^sc_item_option.item_option_new.name=access_action&sysparm_fields=sc_item_option&sysparm_exclude_reference_link=true`,
  )
  const patched = await call(url, 'PATCH', `/api/now/table/sc_item_option/${option.json.result[0].sc_item_option}`, {
    body: { value: 'revoke' },
  })
  t.equal(patched.status, 200)
  t.equal(instance.itemVariables.get(first)?.access_action, 'revoke')
  t.equal(instance.itemVariables.size, 2)
})

test('order_now refuses bad quantity, unknown items, missing mandatory variables', async (t) => {
  const { url, instance } = await emulator(t)
  const seed = seedCsdm(instance, { relations: 10, users: 5, catalogItems: ['Badge access'] })
  const item = seed.catalogItems['Badge access'] ?? ''
  const zero = await call(url, 'POST', `/api/sn_sc/servicecatalog/items/${item}/order_now`, {
    body: { sysparm_quantity: 0 },
  })
  t.equal(zero.status, 400)
  t.equal(zero.json.error.message, 'Invalid quantity value')
  const unknown = await call(url, 'POST', `/api/sn_sc/servicecatalog/items/${'0'.repeat(32)}/order_now`, {
    body: { sysparm_quantity: 1 },
  })
  t.equal(unknown.status, 400)
  t.equal(unknown.json.error.message, 'Security constraints prevent ordering of Item')
  instance.data.insert('item_option_new', {
    cat_item: item,
    name: 'badge_id',
    question_text: 'Badge',
    mandatory: 'true',
  })
  const missing = await call(url, 'POST', `/api/sn_sc/servicecatalog/items/${item}/order_now`, {
    body: { sysparm_quantity: 1 },
  })
  t.equal(missing.json.error.message, 'Mandatory Variables are required')
})

test('two-step: add_to_cart twice, submit_order creates one request with two items', async (t) => {
  const { url, instance } = await emulator(t)
  const seed = seedCsdm(instance, { relations: 10, users: 5, catalogItems: ['Badge access', 'VPN access'] })
  const a = await call(
    url,
    'POST',
    `/api/sn_sc/servicecatalog/items/${seed.catalogItems['Badge access']}/add_to_cart`,
    { body: { sysparm_quantity: 1 } },
  )
  t.equal(a.status, 200)
  t.match(a.json.result, { cart_id: /^[0-9a-f]{32}$/, subtotal: '$0.00' })
  const b = await call(
    url,
    'POST',
    `/api/sn_sc/v1/servicecatalog/items/${seed.catalogItems['VPN access']}/add_to_cart`,
    { body: { sysparm_quantity: 2 } },
  )
  t.equal(b.json.result.cart_id, a.json.result.cart_id, 'same cart')
  t.equal(b.json.result.items.length, 2)
  t.match(b.json.result.items[1], {
    catalog_item_id: seed.catalogItems['VPN access'],
    quantity: '2',
    item_name: 'VPN access',
  })
  const submitted = await call(url, 'POST', '/api/sn_sc/servicecatalog/cart/submit_order', { body: {} })
  t.equal(submitted.status, 200)
  t.match(submitted.json.result, { request_number: /^REQ\d{7}$/, request_id: /^[0-9a-f]{32}$/ })
  const items = await get(url, `/api/now/table/sc_req_item?sysparm_query=request=${submitted.json.result.request_id}`)
  t.equal(items.json.result.length, 2)
  const empty = await call(url, 'POST', '/api/sn_sc/servicecatalog/cart/submit_order', { body: {} })
  t.equal(empty.status, 400, 'the cart is empty after checkout')
})

test('variable sets: io_set_item attaches a set, and an order keeps answers for the set variables too', async (t) => {
  const { url, instance } = await emulator(t)
  const item = defineCatalogItem(instance.data, 'Door access', {
    variables: [{ name: 'door', question: 'Door', type: '6' }],
  })
  const other = defineCatalogItem(instance.data, 'Locker access', { variables: [] })
  const set = defineVariableSet(instance.data, 'Hub tracking', [
    { name: 'correlation_id', question: 'Correlation id', type: '6' },
  ])
  const link = attachVariableSet(instance.data, item, set)

  const links = await get(
    url,
    `/api/now/table/io_set_item?sysparm_query=sc_cat_item=${item}&sysparm_fields=sys_id,sc_cat_item,variable_set&sysparm_exclude_reference_link=true`,
  )
  t.equal(links.status, 200)
  t.same(links.json.result, [{ sys_id: link, sc_cat_item: item, variable_set: set }], 'the m2m row, by item')
  const setVariables = await get(
    url,
    `/api/now/table/item_option_new?sysparm_query=name=correlation_id^cat_item=${item}^ORvariable_setIN${set}&sysparm_fields=name,cat_item,variable_set&sysparm_exclude_reference_link=true`,
  )
  t.same(
    setVariables.json.result,
    [{ name: 'correlation_id', cat_item: '', variable_set: set }],
    'the variable belongs to the set, not the item',
  )

  const order = async (catalogItem: string): Promise<string> => {
    const r = await call(url, 'POST', `/api/sn_sc/servicecatalog/items/${catalogItem}/order_now`, {
      body: { sysparm_quantity: 1, variables: { door: 'D-12', correlation_id: `corr-${catalogItem}` } },
    })
    t.equal(r.status, 200)
    const items = await get(
      url,
      `/api/now/table/sc_req_item?sysparm_query=request=${r.json.result.request_id}&sysparm_fields=sys_id`,
    )
    return items.json.result[0].sys_id as string
  }
  const ordered = await order(item)
  t.same(instance.itemVariables.get(ordered), { door: 'D-12', correlation_id: `corr-${item}` })
  const query = encodeURIComponent(
    `sc_item_option.value=corr-${item}^sc_item_option.item_option_new.name=correlation_id`,
  )
  const found = await get(
    url,
    `/api/now/table/sc_item_option_mtom?sysparm_query=${query}&sysparm_fields=request_item,sc_item_option.item_option_new.variable_set&sysparm_exclude_reference_link=true`,
  )
  t.same(
    found.json.result,
    [{ request_item: ordered, 'sc_item_option.item_option_new.variable_set': set }],
    'the set variable answer is found by value, like an item variable answer',
  )

  // a set not attached to an item asks it nothing
  const unattached = await order(other)
  t.equal(instance.itemVariables.get(unattached), undefined, 'no variables, no answers')
})
