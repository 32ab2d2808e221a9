// String formats for TypeBox's Value checks (kernel-side validation of connection settings and
// configuration). They are ajv-formats' own, the ones Fastify's request validator loads, so a
// value is judged the same whether it arrives in a request or is checked by the kernel (no
// second, hand-written set of patterns that drifts from the first). TypeBox 1 comes with checks
// of its own for most of these names: ajv-formats' replace them.
import { Format } from 'typebox/format'
import { fullFormats } from 'ajv-formats/dist/formats.js'

type AjvFormat = (typeof fullFormats)[keyof typeof fullFormats]
type StringFormat = RegExp | string | ((value: string) => boolean | Promise<unknown>)

function checkOf(format: StringFormat): (value: string) => boolean {
  if (format instanceof RegExp) return (value) => format.test(value)
  if (typeof format === 'string') return checkOf(new RegExp(format, 'u'))
  return (value) => format(value) === true
}

function stringCheck(format: AjvFormat): ((value: string) => boolean) | undefined {
  if (typeof format === 'boolean') return undefined // `true` formats (password, binary) check nothing
  if (typeof format !== 'object' || format instanceof RegExp) return checkOf(format)
  // numeric formats (int32, double...) do not apply to strings
  if (format.type === 'number' || format.async) return undefined
  return checkOf(format.validate as StringFormat)
}

for (const [name, format] of Object.entries(fullFormats)) {
  const check = stringCheck(format)
  if (check) Format.Set(name, check)
}
