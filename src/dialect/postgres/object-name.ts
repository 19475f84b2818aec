/**
 * PostgreSQL's makeObjectName: `<name1>_<name2>_<label>`, trimming the longer of the two names until
 * the whole fits in 63 bytes, as the server does when it names a serial's sequence or a constraint.
 * (Names are assumed to be single-byte characters.)
 *
 * @example
 * objectName('users', 'id', 'seq') // users_id_seq
 */
export function objectName(name1: string, name2: string, label: string): string {
  const available = 63 - label.length - 2
  let n1 = name1.length
  let n2 = name2.length
  while (n1 + n2 > available) {
    if (n1 > n2) n1--
    else n2--
  }
  return `${name1.slice(0, n1)}_${name2.slice(0, n2)}_${label}`
}
