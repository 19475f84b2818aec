// The bundle's text with the non-ASCII characters of its comments replaced by `?` (scripts/build-bundle.mjs).
import { transformSync } from 'esbuild'

/**
 * `source` with the non-ASCII characters of its comment lines replaced by `?`. esbuild writes strings and identifiers
 * in ASCII but keeps comments as they are, and one em dash in a comment of node-postgres made the whole source a
 * two-byte string for V8: decoded from UTF-8 and held at twice the size on every start (keel --help: ~5M of its
 * 169M instructions). A non-ASCII character on any other line fails the build. ASCII's control characters are
 * ASCII (one byte each in V8's string too): Keel's own keys join their parts with \u0001 in template literals, which
 * esbuild writes as the raw character.
 *
 * A line is taken as a comment by how it starts, which a line of a multi-line template literal can share (esbuild
 * keeps a tagged template's text, String.raw's say, as written), and a line that starts with a comment can go on with
 * code (a regular expression, which esbuild also keeps as written): so the program with and without the replacements
 * is compared with its comments left out, and any other difference fails the build. `file` names the text in errors.
 */
export function asciiComments(source, file) {
  const text = source
    .split('\n')
    .map((line, i) => {
      if (!/[\u0080-\uffff]/.test(line)) return line
      if (!/^\s*(\/\/|\/\*|\*)/.test(line)) throw new Error(`${file}:${i + 1}: non-ASCII outside a comment line`)
      return line.replace(/[^\t-~]/g, '?')
    })
    .join('\n')
  if (text !== source && withoutComments(text) !== withoutComments(source)) {
    throw new Error(`${file}: non-ASCII outside a comment, on a line that starts with one`)
  }
  return text
}

/** The program without its comments, its strings, templates and regular expressions as written. */
function withoutComments(source) {
  return transformSync(source, { loader: 'js', minifyWhitespace: true, legalComments: 'none', charset: 'utf8' }).code
}
