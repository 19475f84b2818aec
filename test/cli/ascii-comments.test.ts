/**
 * scripts/ascii-comments.mjs: the bundle of `keel status` (scripts/build-bundle.mjs) gets `?` for the non-ASCII
 * characters of its comments, and for nothing else: a string, template or regular expression that esbuild keeps as
 * written (a tagged template's text, a regular expression) must reach the bundle unchanged, or fail the build.
 */
import { describe, expect, it } from 'vitest'
import { asciiComments } from '../../scripts/ascii-comments.mjs'

describe('asciiComments', () => {
  it('replaces the non-ASCII characters of comment lines, and leaves ASCII lines alone', () => {
    const source = ['// a dash \u2014 here', '/* caf\u00e9', ' * na\u00efve */', 'const a = "x" // ok', ''].join('\n')
    expect(asciiComments(source, 'b.cjs')).toBe(
      ['// a dash ? here', '/* caf?', ' * na?ve */', 'const a = "x" // ok', ''].join('\n'),
    )
  })

  it("leaves ASCII's control characters alone: a template literal's raw \\u0001 is one byte for V8 too", () => {
    const source = 'const key = `a\u0001b`\n// \u0002 and \u2014\n'
    expect(asciiComments(source, 'b.cjs')).toBe('const key = `a\u0001b`\n// ? and ?\n')
  })

  it('fails on a non-ASCII character on a line that is not a comment', () => {
    expect(() => asciiComments('const r = /\u2014/\n', 'b.cjs')).toThrow('b.cjs:1: non-ASCII outside a comment line')
  })

  it("fails on a template literal's line that looks like a comment, rather than change the template", () => {
    const raw = 'const a = String.raw`x\n// \u2014 y`\n'
    expect(() => asciiComments(raw, 'b.cjs')).toThrow('b.cjs: non-ASCII outside a comment')
    const star = 'const b = String.raw`x\n * \u00e9`\n'
    expect(() => asciiComments(star, 'b.cjs')).toThrow('b.cjs: non-ASCII outside a comment')
  })

  it('fails on code after a comment that starts the line, rather than change its regular expression', () => {
    expect(() => asciiComments('/* pure */ f(/\u2014/)\n', 'b.cjs')).toThrow('b.cjs: non-ASCII outside a comment')
  })
})
