/**
 * Passwords Keel has seen in this process, in every spelling in which they could be printed, so that output
 * can be scrubbed of them whatever shape the message that carries them has. Pattern-based redaction of URLs
 * alone missed passwords with an unencoded space (the URL pattern ends at whitespace), passwords that a URL
 * parser re-encoded (`pa ss` prints as `pa%20ss`), and passwords in stack traces and driver messages.
 */
const secrets = new Set<string>()
let ordered: readonly string[] = []

/**
 * Shorter strings would scrub ordinary words from every message; their URLs are still redacted by pattern.
 * @see redactUrl
 */
const MIN_SECRET_LENGTH = 4

/** Remembers the password of a database URL (and of its `password=` parameter), however it is written. */
export function rememberSecretsOf(url: string): void {
  for (const password of passwordsIn(url)) remember(password)
}

/** Remembers a password given outside a URL (PGPASSWORD). */
export function rememberSecret(password: string | undefined): void {
  if (password) remember(password)
}

/**
 * Forgets every password remembered so far. A CLI process runs one command and never needs it; a process that runs
 * several in turn does (the tests, whose files share workers: a password one file remembered scrubbed the output of
 * the files after it, so what they saw, and whether a redaction test passed, depended on their order).
 */
export function forgetSecrets(): void {
  secrets.clear()
  ordered = []
}

/** Replaces every remembered password, in any of its spellings, by `***`. */
export function redactSecrets(text: string): string {
  let result = text
  for (const secret of ordered) if (result.includes(secret)) result = result.split(secret).join('***')
  return result
}

/** Whether `text` holds a remembered password in any of its spellings: whether redactSecrets would change it. */
export function holdsSecret(text: string): boolean {
  return ordered.some((secret) => text.includes(secret))
}

/**
 * The candidate passwords of a URL as typed: the user info runs from `scheme://` to an `@`, and the password
 * from the first `:` in it. People write `@`, `/`, `?`, `#` and spaces into passwords unencoded, so every `@`
 * after the colon ends a candidate; the wrong ones only scrub a little more than needed.
 */
export function passwordsIn(url: string): readonly string[] {
  const found: string[] = []
  const start = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)
  if (start) {
    const rest = url.slice(start[0].length)
    const colon = rest.search(/[:@/]/)
    if (colon >= 0 && rest[colon] === ':') {
      for (let at = rest.indexOf('@', colon + 1); at >= 0; at = rest.indexOf('@', at + 1)) {
        found.push(rest.slice(colon + 1, at))
      }
    }
  }
  for (const match of url.matchAll(/[?&]password=([^&#]*)/gi)) found.push(match[1] as string)
  return found
}

function remember(password: string): void {
  for (const form of spellingsOf(password)) {
    if (form.length >= MIN_SECRET_LENGTH && !secrets.has(form)) secrets.add(form)
  }
  // Longest first, so that a password is scrubbed whole before any shorter spelling inside it.
  ordered = [...secrets].sort((a, b) => b.length - a.length)
}

/** As typed, decoded, encoded as encodeURIComponent and as the URL parser does, and each as JSON escapes it. */
function spellingsOf(password: string): readonly string[] {
  const forms = new Set([password])
  const decoded = tryDecode(password)
  forms.add(decoded)
  forms.add(encodeURIComponent(decoded))
  for (const form of [password, decoded]) {
    try {
      forms.add(new URL(`x://u:${form.replace(/[@/?#\\]/g, encodeURIComponent)}@h`).password)
    } catch {
      // not expressible in a URL: the other spellings remain
    }
  }
  for (const form of [...forms]) forms.add(JSON.stringify(form).slice(1, -1))
  return [...forms]
}

function tryDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/**
 * Remembers the passwords of every URL inside a text (an argument such as `--url=postgres://...`, or output about to
 * be printed). A URL is read to the next URL or the end of its line, no further: read to the end of the text, a
 * candidate ran from the first URL's password to the second URL's `@`, and everything between the two (in `keel
 * status`, a journal row's error printed on its row and again on its problem line, with the summary between) became
 * `***`.
 */
export function rememberSecretsIn(text: string): void {
  const starts = [...text.matchAll(/[a-z][a-z0-9+.-]*:\/\//gi)].map((match) => match.index)
  starts.forEach((start, i) => {
    const lineEnd = text.indexOf('\n', start)
    const end = Math.min(starts[i + 1] ?? text.length, lineEnd < 0 ? text.length : lineEnd)
    rememberSecretsOf(text.slice(start, end))
  })
}
