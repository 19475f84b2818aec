/** A name inside a namespace. `schema` is omitted only where the dialect has no namespaces (SQLite). */
export interface QualifiedName {
  readonly schema?: string
  readonly name: string
}
