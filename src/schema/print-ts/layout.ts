import { assertNever } from '../../assert-never.js'

/**
 * A Layout is printed TypeScript code as a small tree (calls, method chains, objects, arrays, arrows and atomic
 * text) that `renderLayout` breaks into lines. The rules follow what Biome (and Prettier) do with the same code,
 * so that a generated schema module is already formatted: a call stays on one line when it fits, else hugs its
 * last object, array or arrow argument, else puts each argument on its own line; a method chain of more than two
 * calls goes one call per line when it does not fit or when an argument is a function.
 */
export type Layout =
  | {
      readonly kind: 'text'
      readonly text: string
      /** A string literal: in an object property that does not fit, it moves to the next line. */
      readonly string?: true
      /** False for arguments Biome does not count as simple (functions, calls with object arguments). */
      readonly simple?: false
    }
  | { readonly kind: 'call'; readonly callee: string; readonly args: readonly Layout[] }
  | { readonly kind: 'chain'; readonly head: Layout; readonly calls: readonly ChainCall[] }
  | { readonly kind: 'object'; readonly entries: readonly ObjectEntry[]; readonly expand?: true }
  | { readonly kind: 'array'; readonly items: readonly Layout[] }
  | { readonly kind: 'arrow'; readonly params: string; readonly body: Layout }

/** One `.name(args)` of a method chain. */
export interface ChainCall {
  readonly name: string
  readonly args: readonly Layout[]
}

/** One `key: value` of an object literal; the key is printed as given. */
export type ObjectEntry = readonly [key: string, value: Layout]

/** The formatter's line width (biome.json). */
export const LINE_WIDTH = 120

/** Atomic text. */
export function text(value: string, options: { readonly string?: true; readonly simple?: false } = {}): Layout {
  return { kind: 'text', text: value, ...options }
}

/** `callee(args)` */
export function call(callee: string, args: readonly Layout[]): Layout {
  return { kind: 'call', callee, args }
}

/** `head.a(...).b(...)`; a chain without calls is its head. */
export function chain(head: Layout, calls: readonly ChainCall[]): Layout {
  return calls.length === 0 ? head : { kind: 'chain', head, calls }
}

/** An object literal; `expand` keeps it one entry per line even when it would fit on one. */
export function object(entries: readonly ObjectEntry[], expand = false): Layout {
  return expand && entries.length > 0 ? { kind: 'object', entries, expand: true } : { kind: 'object', entries }
}

/** An array literal. */
export function array(items: readonly Layout[]): Layout {
  return { kind: 'array', items }
}

/** `params => body` */
export function arrow(params: string, body: Layout): Layout {
  return { kind: 'arrow', params, body }
}

/**
 * Prints a layout that starts at `column` on a line indented by `indent` spaces and is followed by `tail`
 * characters on its last line (a comma, a parenthesis).
 */
export function renderLayout(layout: Layout, column: number, indent: number, tail: number): string {
  const flat = flatOf(layout)
  if (flat !== undefined && column + flat.length + tail <= LINE_WIDTH) return flat
  switch (layout.kind) {
    case 'text':
      return layout.text
    case 'object':
      return renderEntries(layout.entries, indent)
    case 'array':
      return `[${layout.items.map((item) => `\n${pad(indent + 2)}${renderLayout(item, indent + 2, indent + 2, 1)},`).join('')}\n${pad(indent)}]`
    case 'arrow':
      return `${layout.params} => ${renderLayout(layout.body, column + layout.params.length + 4, indent, tail)}`
    case 'call':
      return renderCall(layout.callee, layout.args, column, indent, tail)
    case 'chain':
      return renderChain(layout, column, indent, tail)
    default:
      return assertNever(layout)
  }
}

function renderEntries(entries: readonly ObjectEntry[], indent: number): string {
  const lines = entries.map(([key, value]) => {
    const column = indent + 2 + key.length + 2
    const flat = flatOf(value)
    // Biome moves a string that does not fit after the colon, on the next line.
    if (value.kind === 'text' && value.string === true && flat !== undefined && column + flat.length + 1 > LINE_WIDTH) {
      return `${pad(indent + 2)}${key}:\n${pad(indent + 4)}${flat},`
    }
    return `${pad(indent + 2)}${key}: ${renderLayout(value, column, indent + 2, 1)},`
  })
  return `{\n${lines.join('\n')}\n${pad(indent)}}`
}

function renderCall(callee: string, args: readonly Layout[], column: number, indent: number, tail: number): string {
  const flats = args.map(flatOf)
  const flatArgs = flats.every((flat) => flat !== undefined) ? flats.join(', ') : undefined
  if (flatArgs !== undefined && column + callee.length + flatArgs.length + 2 + tail <= LINE_WIDTH) {
    return `${callee}(${flatArgs})`
  }
  const only = args[0]
  // A lone multi-line template stays beside the parenthesis (Prettier's "template on its own line").
  if (args.length === 1 && only?.kind === 'text' && only.text.includes('\n')) return `${callee}(${only.text})`
  const hugged = hugLast(callee, args, column, indent, tail)
  if (hugged !== undefined) return hugged
  const lines = args.map((arg) => `\n${pad(indent + 2)}${renderLayout(arg, indent + 2, indent + 2, 1)},`)
  return `${callee}(${lines.join('')}\n${pad(indent)})`
}

/** `callee(a, b, {` ... `})`: the last argument broken, the others on the first line, when that line fits. */
function hugLast(callee: string, args: readonly Layout[], column: number, indent: number, tail: number) {
  const last = args[args.length - 1]
  const before = args.slice(0, -1).map(flatOf)
  if (last === undefined || !huggable(last) || before.some((flat) => flat === undefined)) return undefined
  if (args.length > 1 && args[args.length - 2]?.kind === last.kind) return undefined
  const prefix = `${callee}(${before.map((flat) => `${flat}, `).join('')}`
  const rendered = renderLayout(last, column + prefix.length, indent, tail + 1)
  const firstLine = rendered.split('\n', 1)[0] as string
  return column + prefix.length + firstLine.length <= LINE_WIDTH ? `${prefix}${rendered})` : undefined
}

function huggable(layout: Layout): boolean {
  if (layout.kind === 'object') return layout.entries.length > 0
  if (layout.kind === 'array') return layout.items.length > 0
  return layout.kind === 'arrow'
}

function renderChain(layout: Extract<Layout, { kind: 'chain' }>, column: number, indent: number, tail: number): string {
  const { head, calls } = layout
  const headFlat = flatOf(head)
  // Two groups or fewer (`text().notNull()`) never break as a chain: their arguments break instead.
  if (calls.length === 1 && headFlat !== undefined) {
    const only = calls[0] as ChainCall
    return renderCall(`${headFlat}.${only.name}`, only.args, column, indent, tail)
  }
  const lines = calls.map((item, i) => {
    const last = i === calls.length - 1
    return `\n${pad(indent + 2)}${renderCall(`.${item.name}`, item.args, indent + 2, indent + 2, last ? tail : 0)}`
  })
  return `${renderLayout(head, column, indent, 0)}${lines.join('')}`
}

/** The one-line form, or undefined when the layout must break (multi-line text, expanded objects, forced chains). */
function flatOf(layout: Layout): string | undefined {
  switch (layout.kind) {
    case 'text':
      return layout.text.includes('\n') ? undefined : layout.text
    case 'call': {
      const args = flatList(layout.args)
      return args === undefined ? undefined : `${layout.callee}(${args})`
    }
    case 'chain':
      return flatChain(layout)
    case 'object': {
      if (layout.expand === true) return undefined
      if (layout.entries.length === 0) return '{}'
      const flats = layout.entries.map(([key, value]) => {
        const flat = flatOf(value)
        return flat === undefined ? undefined : `${key}: ${flat}`
      })
      return flats.every((flat) => flat !== undefined) ? `{ ${flats.join(', ')} }` : undefined
    }
    case 'array': {
      const items = flatList(layout.items)
      return items === undefined ? undefined : `[${items}]`
    }
    case 'arrow': {
      const body = flatOf(layout.body)
      return body === undefined ? undefined : `${layout.params} => ${body}`
    }
    default:
      return assertNever(layout)
  }
}

function flatList(items: readonly Layout[]): string | undefined {
  const flats = items.map(flatOf)
  return flats.every((flat) => flat !== undefined) ? flats.join(', ') : undefined
}

function flatChain(layout: Extract<Layout, { kind: 'chain' }>): string | undefined {
  const head = flatOf(layout.head)
  if (head === undefined) return undefined
  const calls = layout.calls.map((item) => {
    const args = flatList(item.args)
    return args === undefined ? undefined : `.${item.name}(${args})`
  })
  if (calls.some((item) => item === undefined)) return undefined
  // More than two calls with a function argument always go one per line (Prettier's member-chain rule).
  const callCount = layout.calls.length + (layout.head.kind === 'call' ? 1 : 0)
  const args = [...layout.calls.flatMap((item) => item.args), ...(layout.head.kind === 'call' ? layout.head.args : [])]
  if (callCount > 2 && !args.every((arg) => simple(arg, 0))) return undefined
  return head + calls.join('')
}

/** Biome's notion of a simple call argument: literals, references, objects and arrays of those, not functions. */
function simple(layout: Layout, depth: number): boolean {
  switch (layout.kind) {
    case 'text':
      return layout.simple !== false
    case 'object':
      return depth === 0 && layout.entries.every(([, value]) => value.kind !== 'object' && simple(value, depth + 1))
    case 'array':
      return layout.items.every((item) => simple(item, depth + 1))
    case 'call':
      return layout.args.every((arg) => arg.kind !== 'object' && simple(arg, depth + 1))
    case 'chain':
      return (
        simple(layout.head, depth) && layout.calls.every((item) => item.args.every((arg) => simple(arg, depth + 1)))
      )
    case 'arrow':
      return false
    default:
      return assertNever(layout)
  }
}

function pad(width: number): string {
  return ' '.repeat(width)
}
