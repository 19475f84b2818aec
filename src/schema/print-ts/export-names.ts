import type { QualifiedName, Schema } from '../model.js'
import { camelCase, isBindingName } from './ts-text.js'

/** The kinds of objects a schema module exports. */
export type ExportKind =
  | 'table'
  | 'view'
  | 'enum'
  | 'sequence'
  | 'namespace'
  | 'extension'
  | 'domain'
  | 'collation'
  | 'routine'
  | 'trigger'
  | 'rule'

const suffixes: Readonly<Record<ExportKind, string>> = {
  table: 'table',
  view: 'view',
  enum: 'enum',
  sequence: 'seq',
  namespace: 'schema',
  extension: 'extension',
  domain: 'domain',
  collation: 'collation',
  routine: 'fn',
  trigger: 'trigger',
  rule: 'rule',
}

/**
 * The `export const` names of a schema module: camelCase of each SQL name, unique across the module and never a
 * reserved word or one of the `reserved` names (the DSL builders the module may import). A clash is settled by
 * the namespace (`billingUsers`), then the kind (`statusEnum`), then a number; tables choose first, so they keep
 * the plain names.
 */
export class ExportNames {
  private readonly names = new Map<string, string>()
  private readonly taken: Set<string>

  constructor(schema: Schema, reserved: Iterable<string>) {
    this.taken = new Set(reserved)
    for (const table of schema.tables) this.allocate('table', table.name)
    for (const view of schema.views) this.allocate('view', view.name)
    for (const type of schema.enums) this.allocate('enum', type.name)
    for (const sequence of schema.sequences) this.allocate('sequence', sequence.name)
    for (const namespace of schema.namespaces) this.allocate('namespace', { name: namespace.name })
    for (const extension of schema.extensions) this.allocate('extension', { name: extension.name })
    for (const domain of schema.domains ?? []) this.allocate('domain', domain.name)
    for (const collation of schema.collations ?? []) this.allocate('collation', collation.name)
    // Overloads share a name: each is its own export, keyed by its signature.
    for (const routine of schema.routines ?? []) this.allocate('routine', routineExportKey(routine), routine.name.name)
    for (const trigger of schema.triggers ?? []) this.allocate('trigger', attachedKey(trigger.table, trigger.name))
    for (const rule of schema.rules ?? []) this.allocate('rule', attachedKey(rule.table, rule.name))
  }

  /** The export name of an object, or undefined when the schema does not hold it. */
  get(kind: ExportKind, name: QualifiedName): string | undefined {
    return this.names.get(exportKey(kind, name))
  }

  private allocate(kind: ExportKind, name: QualifiedName, baseName = name.name): void {
    const key = exportKey(kind, name)
    if (this.names.has(key)) return
    const base = camelCase(baseName)
    const candidates = [
      base,
      ...(name.schema === undefined || name.schema === 'public' ? [] : [camelCase(`${name.schema}_${baseName}`)]),
      camelCase(`${baseName}_${suffixes[kind]}`),
    ]
    let chosen = candidates.find((candidate) => this.free(candidate))
    for (let i = 2; chosen === undefined; i++) if (this.free(`${base}${i}`)) chosen = `${base}${i}`
    this.taken.add(chosen)
    this.names.set(key, chosen)
  }

  private free(name: string): boolean {
    return isBindingName(name) && !this.taken.has(name)
  }
}

function exportKey(kind: ExportKind, name: QualifiedName): string {
  return `${kind}\u0000${name.schema ?? 'public'}\u0000${name.name}`
}

/**
 * Unique camelCase keys for a table's columns, in column order: a clash (`user_id` and `userId`) is settled with a
 * number.
 */
export function columnKeys(names: readonly string[]): string[] {
  const taken = new Set<string>()
  return names.map((name) => {
    const base = camelCase(name)
    let key = base
    for (let i = 2; taken.has(key); i++) key = `${base}${i}`
    taken.add(key)
    return key
  })
}

/** The export key of a routine: its name with its identity arguments, which tell overloads apart. */
export function routineExportKey(routine: {
  readonly name: QualifiedName
  readonly identityArgs: string
}): QualifiedName {
  return { ...routine.name, name: `${routine.name.name}(${routine.identityArgs})` }
}

/** The export key of a trigger or rule: named `<table>_<name>` in its table's namespace. */
export function attachedKey(table: QualifiedName, name: string): QualifiedName {
  return { ...table, name: `${table.name}_${name}` }
}
