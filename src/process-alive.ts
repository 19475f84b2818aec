/**
 * Whether a process of that id runs on this machine: signal 0 checks without sending anything, and EPERM means it
 * runs as another user. What a lock or temporary file left by a process that died is told apart by (the PGlite
 * directory lock, the checksum cache's leftovers).
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
