/**
 * Values as error messages show them: as the user wrote them, so a message points at
 * the value given rather than at what emkit turned it into. Strings are quoted (so
 * '3' and 3 differ), NaN and Infinity appear as such (also inside arrays), BigInts
 * with their n, class instances by their class (an AbortController, not {}), and
 * long arrays and objects are cut short.
 */

const MAX_ITEMS = 6
const MAX_DEPTH = 3

export function show(value: unknown): string {
  return format(value, 0)
}

function format(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string': return JSON.stringify(value)
    case 'number': return Object.is(value, -0) ? '-0' : String(value)
    case 'bigint': return `${value}n`
    case 'boolean': case 'undefined': return String(value)
    case 'symbol': return value.toString()
    case 'function': return value.name ? `the function ${value.name}` : 'a function'
  }
  if (value === null) return 'null'
  const obj = value as object
  if (ArrayBuffer.isView(obj) && !(obj instanceof DataView)) {
    return `${obj.constructor.name} ${items(Array.from(obj as unknown as ArrayLike<unknown>), depth)}`
  }
  if (Array.isArray(obj)) return items(obj, depth)
  const proto = Object.getPrototypeOf(obj) as object | null
  if (proto !== null && proto !== Object.prototype) {
    const name = (obj as { constructor?: { name?: string } }).constructor?.name
    return name ? `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}` : Object.prototype.toString.call(obj)
  }
  const keys = Object.keys(obj)
  if (depth >= MAX_DEPTH) return keys.length === 0 ? '{}' : '{ ... }'
  const shown = keys.slice(0, MAX_ITEMS).map((k) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${format((obj as Record<string, unknown>)[k], depth + 1)}`)
  if (keys.length > MAX_ITEMS) shown.push(`... (${keys.length} keys)`)
  return shown.length === 0 ? '{}' : `{ ${shown.join(', ')} }`
}

function items(list: readonly unknown[], depth: number): string {
  if (depth >= MAX_DEPTH) return list.length === 0 ? '[]' : '[...]'
  const shown = list.slice(0, MAX_ITEMS).map((v) => format(v, depth + 1))
  if (list.length > MAX_ITEMS) shown.push(`... (${list.length} values)`)
  return `[${shown.join(', ')}]`
}

/**
 * A value that should have been a number, shown with what to do about it: a BigInt is
 * the one non-number with an obvious repair (emkit computes in doubles).
 */
export function showNonNumber(value: unknown): string {
  return typeof value === 'bigint' ? `${show(value)}, a BigInt: convert it with Number(...)` : `${show(value)}, not a number`
}
