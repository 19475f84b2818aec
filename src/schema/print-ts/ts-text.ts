/**
 * TypeScript source text for values: string literals, `sql` templates, identifiers and property access. Every
 * piece of user data (names, comments, SQL) reaches the generated module through these, so that any text, with
 * quotes, backslashes, backticks or line breaks, reads back exactly.
 */

/** Words that cannot name a `const` (ECMAScript reserved words, strict-mode and module restrictions). */
const reservedWords = new Set(
  (
    'await break case catch class const continue debugger default delete do else enum export extends false finally ' +
    'for function if implements import in instanceof interface let new null package private protected public return ' +
    'static super switch this throw true try typeof var void while with yield arguments eval undefined NaN Infinity'
  ).split(' '),
)

const identifierPattern = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u

/** Whether `name` can be written as a property name or after a dot (reserved words included). */
export function isIdentifierName(name: string): boolean {
  return identifierPattern.test(name)
}

/** Whether `name` can name a module-level binding. */
export function isBindingName(name: string): boolean {
  return isIdentifierName(name) && !reservedWords.has(name)
}

/**
 * A string literal as Biome writes it: single quotes unless the text holds more single than double quotes;
 * backslashes, the quote and control characters escaped.
 * @example tsString("it's") // `"it's"`
 */
export function tsString(value: string): string {
  const singles = value.split("'").length - 1
  const doubles = value.split('"').length - 1
  const quote = singles > doubles ? '"' : "'"
  let out = ''
  for (const char of value) {
    if (char === '\\' || char === quote) out += `\\${char}`
    else out += escapeControl(char)
  }
  return `${quote}${out}${quote}`
}

/**
 * A `sql` tagged template whose text is exactly `value`: backslashes, backticks and `${` are escaped, and carriage
 * returns too (a template literal would read a raw CR or CRLF back as LF). Line feeds stay as they are.
 */
export function sqlTemplate(value: string): string {
  let out = ''
  for (let i = 0; i < value.length; i++) {
    const char = value[i] as string
    if (char === '\\' || char === '`') out += `\\${char}`
    else if (char === '$' && value[i + 1] === '{') out += '\\$'
    else if (char === '\n') out += char
    else out += escapeControl(char)
  }
  return `sql\`${out}\``
}

function escapeControl(char: string): string {
  switch (char) {
    case '\n':
      return '\\n'
    case '\r':
      return '\\r'
    case '\t':
      return '\\t'
    case '\u2028':
      return '\\u2028'
    case '\u2029':
      return '\\u2029'
    default: {
      const code = char.charCodeAt(0)
      return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : char
    }
  }
}

/** `object.key`, or `object['key']` when the key is not an identifier. */
export function member(object: string, key: string): string {
  return isIdentifierName(key) ? `${object}.${key}` : `${object}[${tsString(key)}]`
}

/** An object literal key: bare when it is an identifier, quoted otherwise. */
export function propertyKey(key: string): string {
  return isIdentifierName(key) ? key : tsString(key)
}

/**
 * camelCase of a SQL name, always a valid identifier: words split at anything that is not a letter or digit,
 * the first lower-cased (wholly, if it is all capitals), the rest capitalised.
 * @example camelCase('created_at') // 'createdAt'
 * @example camelCase('2fa codes') // '_2faCodes'
 */
export function camelCase(name: string): string {
  const words = name.split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '')
  const joined = words
    .map((word, i) => {
      if (i > 0) return word.charAt(0).toUpperCase() + word.slice(1)
      return word === word.toUpperCase() ? word.toLowerCase() : word.charAt(0).toLowerCase() + word.slice(1)
    })
    .join('')
  if (isIdentifierName(joined)) return joined
  return isIdentifierName(`_${joined}`) ? `_${joined}` : '_'
}
