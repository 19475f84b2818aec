import { randomUUID } from 'node:crypto'
import { readFileSync, readlinkSync } from 'node:fs'
import { hostname } from 'node:os'

/**
 * Who holds (or wants) the SQLite runner lock, told apart well enough to prove the holder dead: a pid alone is
 * not, for after its process dies the pid is handed to another one (a reused pid would keep a dead runner's lock
 * held forever, and a pid of another host or container says nothing about this one's processes).
 *
 * Linux facts are read from /proc; where there is no /proc (macOS) they are undefined, and a check that needs
 * one does not prove anything.
 */
export interface ProcessIdentity {
  /** os.hostname(). */
  readonly host: string
  /** /etc/machine-id: the installation, which a hostname may share with another machine. */
  readonly machine: string | undefined
  /** /proc/sys/kernel/random/boot_id: changes at each boot, when every process of the machine is gone. */
  readonly boot: string | undefined
  /** The pid namespace (`pid:[4026531836]`): containers on one kernel number their processes apart. */
  readonly pidns: string | undefined
  readonly pid: number
  /** The process's start time (clock ticks after boot, /proc/PID/stat field 22): a reused pid's differs. */
  readonly start: string | undefined
  /** Random, one per lock taken: only the runner that took the row deletes it. */
  readonly token: string
}

/** What this host says of a pid: whether a process has it, and that process's start time. */
export interface PidProbe {
  readonly alive: boolean
  readonly start: string | undefined
}

const readText = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8').trim() || undefined
  } catch {
    return undefined
  }
}

/** The start time of a process, from /proc/PID/stat (its name, field 2, may hold spaces and parentheses). */
export function processStart(pid: number): string | undefined {
  const stat = readText(`/proc/${pid}/stat`)
  if (stat === undefined) return undefined
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // Field 3 (state) is the first after the name; field 22 (starttime) is 19 further.
  return fields[19]
}

/** Whether a process of this host has `pid`, and when it started. */
export function probePid(pid: number): PidProbe {
  try {
    process.kill(pid, 0)
  } catch (error) {
    // EPERM: it exists, owned by another user.
    if ((error as { code?: string }).code !== 'EPERM') return { alive: false, start: undefined }
  }
  return { alive: true, start: processStart(pid) }
}

/** This process, with a new token. */
export function currentProcess(): ProcessIdentity {
  let pidns: string | undefined
  try {
    pidns = readlinkSync('/proc/self/ns/pid')
  } catch {
    pidns = undefined
  }
  return {
    host: hostname(),
    machine: readText('/etc/machine-id'),
    boot: readText('/proc/sys/kernel/random/boot_id'),
    pidns,
    pid: process.pid,
    start: processStart(process.pid),
    token: randomUUID(),
  }
}

/** Two values that are both known and equal, or both unknown (a platform without them); undefined otherwise. */
function same(a: string | undefined, b: string | undefined): boolean | undefined {
  if (a === undefined && b === undefined) return true
  if (a === undefined || b === undefined) return undefined
  return a === b
}

/**
 * Whether the holder of a lock row is provably dead, as seen from `self` (a process of this host) with `probe`
 * asking this host about a pid. Only then is its row taken over; anything this host cannot see (another host,
 * machine or pid namespace, a row without these facts) is alive, and waits for the holder or for a person.
 *
 * - another hostname or machine-id, another pid namespace: this host cannot see the process: alive.
 * - the same machine booted since: every process of the holder's boot is gone: dead.
 * - the same boot and namespace, no process with the pid: dead.
 * - a process with the pid that started at another time than the holder: the pid was reused: dead.
 */
export function provablyDead(
  holder: Omit<ProcessIdentity, 'token'>,
  self: Omit<ProcessIdentity, 'token'>,
  probe: (pid: number) => PidProbe,
): boolean {
  if (holder.host !== self.host || same(holder.machine, self.machine) !== true) return false
  if (holder.boot !== undefined && self.boot !== undefined && holder.boot !== self.boot) return true
  if (same(holder.boot, self.boot) !== true || same(holder.pidns, self.pidns) !== true) return false
  const now = probe(holder.pid)
  if (!now.alive) return true
  return holder.start !== undefined && now.start !== undefined && holder.start !== now.start
}
