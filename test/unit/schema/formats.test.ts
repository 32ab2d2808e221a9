// The kernel's string formats (TypeBox, core/schema/formats.ts) judge every value as the request
// validator does (Fastify's ajv with ajv-formats): a setting the API accepts is one the kernel
// accepts, and the other way round. Values picked where hand-written patterns tend to differ.
import { test } from 'tap'
import { AjvCompiler } from '@fastify/ajv-compiler'
import { Type } from 'typebox'
import { Value } from 'typebox/value'
import '../../../core/schema/formats.ts'

const requestValidator = AjvCompiler()({}, { customOptions: {} })

const SAMPLES: Record<string, string[]> = {
  'date-time': [
    '2024-02-28T10:00:00Z',
    '2024-02-30T10:00:00Z',
    '2024-02-28T25:00:00Z',
    '2024-02-28T10:00:00',
    '2024-02-28t10:00:00.123+01:00',
    '2024-02-28 10:00:00Z',
  ],
  date: ['2024-02-29', '2023-02-29', '2024-02-30', '2024-13-01', '24-01-01'],
  uri: ['https://example.com/a?b#c', 'urn:isbn:0451450523', '//example.com', 'https://exa mple.com', 'mailto:a@b', 'x'],
  uuid: ['7f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f', '7F1C2D3E-4A5B-4C6D-8E9F-0A1B2C3D4E5F', 'urn:uuid:x', '7f1c2d3e4a5b'],
  email: ['a@b.c', 'a@localhost', 'a b@c.d', '@c.d'],
  hostname: ['example.com', '-bad.example', 'a'.repeat(64) + '.example', 'localhost'],
}

test('TypeBox checks each format exactly as the request validator does', async (t) => {
  for (const [format, values] of Object.entries(SAMPLES)) {
    const schema = Type.String({ format })
    const ajvCheck = requestValidator({ schema, method: 'POST', url: '/', httpPart: 'body' }) as (v: unknown) => boolean
    for (const value of values) {
      t.equal(Value.Check(schema, value), ajvCheck(value), `${format}: ${JSON.stringify(value)}`)
    }
  }
})

test('an impossible calendar date is refused by both', async (t) => {
  t.notOk(Value.Check(Type.String({ format: 'date-time' }), '2024-02-30T10:00:00Z'))
  t.notOk(Value.Check(Type.String({ format: 'date' }), '2023-02-29'))
})
