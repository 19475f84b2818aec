/**
 * PostgreSQL's built-in functions whose value differs per row (pg_proc.provolatile = 'v') as column defaults are
 * written: a default calling one is computed for every existing row when the column is added, which rewrites the
 * table. The one list for the planner's facts (dialect/postgres/steps-table.ts) and the lint rule
 * (ban-volatile-default), so that a generated step and the rule never disagree about a default.
 */
export const VOLATILE_FUNCTIONS: ReadonlySet<string> = new Set([
  'random',
  'gen_random_uuid',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'uuidv4',
  'uuidv7',
  'clock_timestamp',
  'timeofday',
  'nextval',
])

const volatileCall = new RegExp(`\\b(${[...VOLATILE_FUNCTIONS].join('|')})\\s*\\(`, 'i')

/** Whether default SQL (as the server prints it: `nextval('s'::regclass)`) calls a volatile built-in function. */
export function callsVolatileFunction(sql: string): boolean {
  return volatileCall.test(sql)
}
