import type { QualifiedName } from '../../schema/model.js'

/** Relations whose names appear in a view's SQL, so that the plan creates them first. */
export function relationsIn(sql: string, relations: readonly QualifiedName[], self: QualifiedName): QualifiedName[] {
  return relations.filter(
    (r) =>
      !(r.name === self.name && r.schema === self.schema) &&
      new RegExp(`(^|[^\\w])"?${r.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?([^\\w]|$)`).test(sql),
  )
}
