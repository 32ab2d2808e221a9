// An update's answer is compared with the read the run planned from, field by field as the
// kernel compares values: a real edit is found, a change of form ("5" and 5, a reference as an
// object and as its sys_id, '' and no value) is not.
import { test } from 'tap'
import type { FieldType } from '../../../core/connector/contract.ts'
import { editedMeanwhile } from '../../../core/sync/edited-meanwhile.ts'

const types: Record<string, FieldType> = { cost: 'decimal', owner: 'reference', active: 'boolean', name: 'string' }
/** the fields read, typed as the side's schema says; a field it lacks compares as a string */
const reads = (...fields: string[]) => fields.map((field) => ({ field, type: types[field] ?? ('string' as const) }))

test('a field the mapping reads, changed by someone else, is an edit', async (t) => {
  const planned = { name: 'Billing', cost: '5' }
  t.equal(editedMeanwhile(reads('name', 'cost'), planned, { cost: '6' }, { name: 'Billing v2', cost: '6' }), true)
})

test('the fields this write set are not compared', async (t) => {
  t.equal(editedMeanwhile(reads('name'), { name: 'A' }, { name: 'B' }, { name: 'B' }), false)
})

test('the same value in another form is no edit', async (t) => {
  const planned = {
    cost: 5,
    owner: { link: 'https://x/api/now/table/sys_user/u1', value: 'u1' },
    active: 'true',
    name: '',
  }
  const answer = { cost: '5.0', owner: 'u1', active: true, name: null }
  t.equal(editedMeanwhile(reads('cost', 'owner', 'active', 'name'), planned, {}, answer), false)
})

test('fields the answer or the read lacks, and a missing answer, are no edit', async (t) => {
  t.equal(editedMeanwhile(reads('name', 'owner.name'), { name: 'A' }, {}, { 'owner.name': 'x' }), false)
  t.equal(editedMeanwhile(reads('name'), { name: 'A' }, {}, undefined), false)
})

test('a field the schema lacks compares as text', async (t) => {
  t.equal(editedMeanwhile(reads('name'), { name: 'A' }, {}, { name: 'a' }), true)
  t.equal(editedMeanwhile(reads('name'), { name: 'A' }, {}, { name: 'A' }), false)
})
