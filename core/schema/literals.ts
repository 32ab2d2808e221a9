// A union of string literals built from a list of values (roles, run states...). The literals
// are typed as a tuple, one per value, not as an array: TypeBox infers a union's static type
// from a tuple of its members (an array of them reads as `never` in TypeBox 1).
import { Type, type TSchemaOptions, type TLiteral, type TUnion } from 'typebox'

type Literals<T extends readonly string[]> = { -readonly [K in keyof T]: TLiteral<T[K]> }

export function literals<const T extends readonly string[]>(values: T, options?: TSchemaOptions): TUnion<Literals<T>> {
  return Type.Union(
    values.map((value) => Type.Literal(value)),
    options,
  ) as unknown as TUnion<Literals<T>>
}
