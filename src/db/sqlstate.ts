/**
 * Whether a driver error's code has the shape of a SQLSTATE (the SQL standard's five characters: a class of two and
 * a subclass of three, digits and capitals), as PostgreSQL reports it in `code`. Every SQLSTATE holds a digit, and
 * that tells it from Node's socket codes of the same length (EPIPE, EBADF), which are letters only.
 */
export function isSqlstate(code: string): boolean {
  return /^[0-9A-Z]{5}$/.test(code) && /[0-9]/.test(code)
}
