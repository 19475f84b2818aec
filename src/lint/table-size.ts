import type { LintContext, Severity } from './rule.js'

/**
 * How a blocking or rewriting operation on table `key` is judged from the table's size: not at all on a table
 * this migration created or one the live database shows empty; as a warning on a small one; at the rule's own
 * severity on a large one or when Keel cannot tell (without `--url` an existing table is assumed large and busy).
 */
export function onExistingTable(ctx: LintContext, key: string): { readonly severity?: Severity } | undefined {
  switch (ctx.sizeOf(key)) {
    case 'new':
    case 'empty':
      return undefined
    case 'small':
      return { severity: 'warning' }
    case 'large':
    case 'unknown':
      return {}
  }
}

/** A table key as people read it in a message. */
export function tableLabel(key: string): string {
  return key
}
