import { redactUrl } from '../db/redact-url.js'

/**
 * Control characters that a terminal would act on rather than show: C0 but tab and newline, DEL, C1, and the
 * bidirectional overrides that make text read differently from what it is. They reach output through
 * identifiers, file names and file contents (a table named `"\x1b]0;...\x07"`, a `\r` that hides the start of
 * a line). ESC is kept only where it starts a colour (SGR) sequence, which is what Keel itself writes.
 */
const SGR = /^\[[0-9;]*m/

function isControl(code: number): boolean {
  return (
    (code < 0x20 && code !== 0x09 && code !== 0x0a) ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  )
}

/** Makes a control character visible as `\xHH` (or `\u{HHHH}`). */
export function escapeControl(text: string): string {
  let result = ''
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (!isControl(code) || (code === 0x1b && SGR.test(text.slice(i + 1, i + 17)))) {
      result += text[i]
      continue
    }
    result += code <= 0xff ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u{${code.toString(16)}}`
  }
  return result
}

/** What may go to a terminal: no password, no control character that acts. */
export function forTerminal(text: string): string {
  return escapeControl(redactUrl(text))
}
