/** Exhaustiveness check for `switch` over a discriminated union: a new kind becomes a compile error. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`)
}
