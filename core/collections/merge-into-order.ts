// An ordered list brought up to date after some of its items were written: the stale ones are
// dropped, the fresh ones sorted among themselves and merged in, in one pass over the list. The
// emulators keep their delta orders this way (ServiceNow's sys_updated_on, LeanIX's updatedAt),
// as a database keeps an index, instead of sorting everything again after each write; moving
// each written item with a splice would shift the list once per item.

/**
 * `ordered` without the items `stale` picks, with `fresh` merged in; `compare` must order
 * `ordered` already and must never find two items equal (a tie-breaking key decides), so the
 * result is what a sort of the same items gives. `fresh` is sorted in place.
 */
export function mergeIntoOrder<T>(
  ordered: readonly T[],
  stale: (item: T) => boolean,
  fresh: T[],
  compare: (a: T, b: T) => number,
): T[] {
  fresh.sort(compare)
  const out: T[] = []
  let f = 0
  for (const item of ordered) {
    if (stale(item)) continue
    while (f < fresh.length && compare(fresh[f] as T, item) < 0) out.push(fresh[f++] as T)
    out.push(item)
  }
  while (f < fresh.length) out.push(fresh[f++] as T)
  return out
}
