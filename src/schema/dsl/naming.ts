/** PostgreSQL's NAMEDATALEN: identifiers hold at most NAMEDATALEN - 1 = 63 bytes. */
export const NAMEDATALEN = 64

const encoder = new TextEncoder()

/** A code unit of 128 or above: text without one is ASCII, one UTF-8 byte a character, its length its size. */
const NON_ASCII = /[\u0080-\uffff]/

// Names are nearly always ASCII: encoding each (and, to clip one, each of its characters) showed in the profile of a
// cold `keel inspect` of the production-shaped schema of bench/ (1,200 attached partition indexes' default names).
function byteLength(text: string): number {
  return NON_ASCII.test(text) ? encoder.encode(text).length : text.length
}

/** The longest prefix of `text` that fits in `bytes` UTF-8 bytes without splitting a character (pg_mbcliplen). */
export function clipBytes(text: string, bytes: number): string {
  if (!NON_ASCII.test(text)) return text.length <= bytes ? text : text.slice(0, Math.max(0, bytes))
  if (byteLength(text) <= bytes) return text
  let out = ''
  let used = 0
  for (const char of text) {
    const size = byteLength(char)
    if (used + size > bytes) break
    out += char
    used += size
  }
  return out
}

/**
 * PostgreSQL's makeObjectName (indexcmds.c): `name1_name2_label`, truncating the longer of the two names first,
 * one byte at a time, so that the whole fits in 63 bytes. The label is never truncated.
 * @example makeObjectName('users', 'email', 'key') // 'users_email_key'
 */
export function makeObjectName(name1: string, name2: string | undefined, label: string | undefined): string {
  let overhead = 0
  let name1Bytes = byteLength(name1)
  let name2Bytes = 0
  if (name2 !== undefined) {
    name2Bytes = byteLength(name2)
    overhead++
  }
  if (label !== undefined) overhead += byteLength(label) + 1
  const available = NAMEDATALEN - 1 - overhead
  while (name1Bytes + name2Bytes > available) {
    if (name1Bytes > name2Bytes) name1Bytes--
    else name2Bytes--
  }
  let name = clipBytes(name1, name1Bytes)
  if (name2 !== undefined) name += `_${clipBytes(name2, name2Bytes)}`
  if (label !== undefined) name += `_${label}`
  return name
}

/**
 * ChooseIndexColumnNames: the per-column names that go into a default index name. A name already used earlier in
 * the list gets a number appended (`a`, `a1`), clipped so that it stays shorter than NAMEDATALEN.
 */
export function chooseIndexColumnNames(names: readonly string[]): string[] {
  const result: string[] = []
  for (const original of names) {
    let current = original
    for (let i = 1; result.includes(current); i++) {
      const suffix = String(i)
      current = clipBytes(original, NAMEDATALEN - 1 - suffix.length) + suffix
    }
    result.push(current)
  }
  return result
}

/**
 * ChooseIndexNameAddition / ChooseForeignKeyConstraintNameAddition: column names joined with `_`, stopping once
 * the text reaches NAMEDATALEN bytes (makeObjectName truncates the rest).
 */
export function nameAddition(names: readonly string[]): string {
  let text = ''
  for (const name of names) {
    if (text.length > 0) text += '_'
    text += clipBytes(name, NAMEDATALEN - 1)
    if (byteLength(text) >= NAMEDATALEN) break
  }
  return text
}

/**
 * The names taken in one namespace, for choosing default names as PostgreSQL does: relations (tables, views,
 * sequences, indexes) and constraints share a namespace-wide view in ChooseRelationName/ChooseConstraintName, and a
 * taken name gets a pass number appended to its label (`users_email_key1`).
 */
export class NamespaceNames {
  private readonly relations = new Set<string>()
  private readonly constraints = new Set<string>()

  hasRelation(name: string): boolean {
    return this.relations.has(name)
  }

  hasConstraint(name: string): boolean {
    return this.constraints.has(name)
  }

  reserveRelation(name: string): void {
    this.relations.add(name)
  }

  reserveConstraint(name: string): void {
    this.constraints.add(name)
  }

  /** ChooseRelationName; `isConstraint` for indexes that back a constraint (pkey, unique), which must avoid both. */
  chooseRelationName(name1: string, name2: string | undefined, label: string, isConstraint: boolean): string {
    for (let pass = 0; ; pass++) {
      const name = makeObjectName(name1, name2, pass === 0 ? label : `${label}${pass}`)
      if (!this.relations.has(name) && !(isConstraint && this.constraints.has(name))) {
        this.relations.add(name)
        if (isConstraint) this.constraints.add(name)
        return name
      }
    }
  }

  /** ChooseConstraintName, for constraints without an index (foreign keys, checks). */
  chooseConstraintName(name1: string, name2: string | undefined, label: string): string {
    for (let pass = 0; ; pass++) {
      const name = makeObjectName(name1, name2, pass === 0 ? label : `${label}${pass}`)
      if (!this.constraints.has(name)) {
        this.constraints.add(name)
        return name
      }
    }
  }
}
