import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { availableParallelism, loadavg } from 'node:os'

/**
 * The stats of many paths taken by another process, as one text: a line per path, in the order given, of its inode,
 * device, mode (hex), size, mtime and ctime (seconds to the nanosecond). `keel status` starts it first thing and
 * compares its text, byte for byte, with the text a run found every folder unchanged with (checksum-cache.ts): at
 * 10,000 migrations the 30,000 stats then run on the other core while Node connects and reads the journal, and the
 * main thread makes no Stats object (each with four Dates on Node 20, the largest part of a stat there). What is
 * compared is the text's SHA-256, hashed as it comes in: the cache file holds 32 bytes rather than the text's 2 MB
 * at 10,000 migrations, which every run would read.
 *
 * `xargs -0 stat -L -c FORMAT`, GNU's stat (coreutils, busybox accepts -c too): -L follows symbolic links as Node's
 * statSync does, so that an edited file a migration links to is seen. Anything else (BSD and macOS stat take -f
 * rather than -c, Windows has none, a stat that prints whole seconds) fails or prints what {@link isSnapshotText}
 * refuses, and the cache then stats each folder in Node as before.
 */
const FORMAT = '%i %d %f %s %.9Y %.9Z'

/** A line of FORMAT. */
const LINE = /^\d+ \d+ [0-9a-f]+ \d+ \d+\.\d{9} \d+\.\d{9}$/

/** A snapshot that has not come in this long is given up (a hung network file system): the folders are statted. */
const TIMEOUT_MS = 5000

/** A snapshot taken: its text's SHA-256, and the text as it came (checked by {@link isSnapshotText} when recorded). */
export interface StatSnapshot {
  readonly digest: Buffer
  readonly chunks: readonly Buffer[]
}

/**
 * Starts taking the stats of `paths` (NUL-separated, relative to `dir`); resolves to the snapshot, or undefined when
 * the tool is missing, fails (a path gone, an unknown option) or takes too long. Never rejects.
 */
export function takeStatSnapshot(dir: string, paths: string): Promise<StatSnapshot | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    const hash = createHash('sha256')
    let child: ReturnType<typeof spawn>
    try {
      // LC_ALL=C: the decimal point is a dot whatever the user's locale.
      child = spawn('xargs', ['-0', 'stat', '-L', '-c', FORMAT, '--'], {
        cwd: dir,
        stdio: ['pipe', 'pipe', 'ignore'],
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
      })
    } catch {
      resolve(undefined)
      return
    }
    const timer = setTimeout(() => child.kill(), TIMEOUT_MS)
    timer.unref()
    child.on('error', () => {
      clearTimeout(timer)
      resolve(undefined)
    })
    child.stdout?.on('data', (chunk: Buffer) => {
      hash.update(chunk)
      chunks.push(chunk)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve(code === 0 ? { digest: hash.digest(), chunks } : undefined)
    })
    // A child that ended early (no stat here) closes its stdin: the write's EPIPE is that, not an error.
    child.stdin?.on('error', () => {})
    child.stdin?.end(paths)
  })
}

/**
 * Whether a snapshot is worth its process: when a core is free for it (the last minute's load average at most the
 * cores less one; os.loadavg is 0 on Windows, which has no GNU stat anyway). On a busy machine the process only adds
 * its CPU to what the main thread competes with: 10,000 migrations on a 2-core VM at load ~15, medians of 8 taken in
 * turn, 2.63 s with it and 2.17 s without. KEEL_STAT_SNAPSHOT=always takes it whatever the load (tests),
 * KEEL_STAT_SNAPSHOT=never never does.
 */
export function snapshotWorthTaking(): boolean {
  const setting = process.env.KEEL_STAT_SNAPSHOT
  if (setting === 'always' || setting === 'never') return setting === 'always'
  return availableParallelism() > 1 && (loadavg()[0] ?? 0) <= availableParallelism() - 1
}

/** Whether `snapshot` is of `count` paths: as many lines, each of FORMAT (times to the nanosecond). */
export function isSnapshotText(snapshot: StatSnapshot, count: number): boolean {
  const lines = Buffer.concat(snapshot.chunks).toString('latin1').split('\n')
  if (lines.pop() !== '' || lines.length !== count) return false
  return lines.every((line) => LINE.test(line))
}
