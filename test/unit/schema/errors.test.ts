// The kernel's validation errors (core/schema/errors.ts) name each problem at the pointer of the
// value it is about: TypeBox 1 reports missing and unknown properties once per object and a
// union's branches flat, the kernel wants them per property and under their union.
import { test } from 'tap'
import { Type } from 'typebox'
import { schemaErrors } from '../../../core/schema/errors.ts'

const Item = Type.Union([
  Type.Object({ kind: Type.Literal('a'), n: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('b'), s: Type.String() }, { additionalProperties: false }),
])
const Schema = Type.Object(
  {
    name: Type.String({ description: 'the name' }),
    'a/b': Type.Optional(Type.Integer()),
    mode: Type.Optional(Type.Union([Type.Literal('on'), Type.Literal('off')])),
    items: Type.Optional(Type.Array(Item)),
  },
  { additionalProperties: false },
)

test('a missing property and an unknown one are each named at their own pointer', async (t) => {
  const errors = schemaErrors(Schema, { extra: 1, other: 'x', 'a/b': 'no' })
  t.match(errors, [
    { path: '/name', keyword: 'required', value: undefined, schema: { description: 'the name' } },
    { path: '/extra', keyword: 'additionalProperties', value: 1 },
    { path: '/other', keyword: 'additionalProperties', value: 'x' },
    { path: '/a~1b', keyword: 'type', value: 'no', message: 'must be integer' },
  ])
  t.equal(errors.length, 4)
})

test("a union's errors come under it, by branch; a union of literals names its values", async (t) => {
  const errors = schemaErrors(Schema, { name: 'x', mode: 'maybe', items: [{ kind: 'a', n: 0 }, { kind: 'c' }] })
  t.match(errors, [
    { path: '/mode', keyword: 'anyOf', message: 'must be one of "on", "off"', value: 'maybe' },
    { path: '/items/0', keyword: 'anyOf', branches: [[{ path: '/items/0/n', keyword: 'minimum' }], [{}]] },
    { path: '/items/1', keyword: 'anyOf', message: 'must match a schema in anyOf', value: { kind: 'c' } },
  ])
  t.equal(errors.length, 3, 'branch errors are not listed on their own')
  t.equal(errors[1]?.branches.length, 2)
})

test('a valid value has no errors', async (t) => {
  t.same(schemaErrors(Schema, { name: 'x', mode: 'on', items: [{ kind: 'b', s: '' }] }), [])
})
