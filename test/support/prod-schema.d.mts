/** Types of prod-schema.mjs (plain JavaScript, shared with bench/). */
export declare const PROD_NAMESPACES: readonly string[]
export declare function prodSchemaSql(groups: number, version: 1 | 2): string
export declare function prodTableCount(groups: number, version: 1 | 2): number
