import { type Stats, statSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import { sep } from 'node:path'
import { Worker } from 'node:worker_threads'
import { unchangedFolder } from './unchanged-folder.js'

/** What the checksum cache read: each folder's line, where its stat numbers start, and the numbers. */
export interface FolderRecords {
  /** The lines joined, each ending in a newline: what a worker is given. */
  readonly text: string
  readonly lines: readonly string[]
  readonly numbersAt: Int32Array
  readonly numbers: Float64Array
}

/** Checks whether recorded folder `index`, at the path `dir`, still has its recorded stats (unchanged-folder.ts). */
export interface FolderChecker {
  unchanged(index: number, dir: string): boolean
  /** The worker thread checking folders from the end, when there is one (its exit code 0: it checked them all). */
  readonly worker?: Worker
}

/**
 * From this many recorded folders on, a worker thread checks folders from the directory's end while the main thread
 * checks them from its start. Each folder costs three stats (the folder and its two files: ~10 µs in Node, a third
 * of it the system call), so 10,000 of them take ~100 ms of one core; starting a worker costs ~15 ms of the other.
 */
export const WORKER_FROM = 3000

/** A folder's claim in the shared array: not taken yet, being checked, then the verdict. */
const UNCLAIMED = 0
const CLAIMED = 1
const SAME = 2

/**
 * How long the main thread waits for the worker's verdict on a folder it claimed (one folder takes it well under a
 * millisecond). Past it the folder counts as changed and is read whole: a worker that died never makes status wrong
 * or stuck, only slower.
 */
const WAIT_MS = 200

/**
 * The checker of the folders recorded in `records` of the migrations directory `dir`, with a worker thread when
 * there are `workerFrom` of them or more and a second core is free ({@link coreToSpare}; `always`: whatever the load).
 */
export function folderChecker(
  dir: string,
  records: FolderRecords,
  workerFrom = WORKER_FROM,
  spare: 'always' | 'when-idle' = 'when-idle',
): FolderChecker {
  const check = (index: number, folderDir: string) =>
    unchangedFolder(
      statOrUndefined,
      folderDir,
      records.lines[index] as string,
      records.numbers,
      records.numbersAt[index] as number,
      sep,
    )
  const started =
    records.lines.length >= workerFrom && (spare === 'always' || coreToSpare()) ? startWorker(dir, records) : undefined
  if (started === undefined) return { unchanged: check }
  const { worker, verdicts } = started
  return {
    worker,
    unchanged(index, folderDir) {
      const claim = Atomics.compareExchange(verdicts, index, UNCLAIMED, CLAIMED)
      if (claim === UNCLAIMED) return check(index, folderDir)
      if (claim === CLAIMED && Atomics.wait(verdicts, index, CLAIMED, WAIT_MS) === 'timed-out') return false
      return Atomics.load(verdicts, index) === SAME
    },
  }
}

/**
 * Whether the main thread and a worker would each find a core: the machine's cores less the run queue's average of
 * the last minute (os.loadavg; always 0 on Windows). On a busy machine the worker only adds its start (~20 ms of CPU)
 * and its share of the stats competes with the main thread's: at 10,000 migrations on this 2-core VM at load ~7,
 * keel status took 510 ms (median of 7) without it and 580 ms with it.
 */
function coreToSpare(): boolean {
  return availableParallelism() > 1 && (loadavg()[0] ?? 0) <= availableParallelism() - 1.5
}

/**
 * Starts the worker that checks folders from the last one down, claiming each in `verdicts` (shared with it) and
 * stopping at the first the main thread has claimed. Undefined when no worker can be started: the main thread then
 * checks every folder.
 */
function startWorker(
  dir: string,
  records: FolderRecords,
): { readonly worker: Worker; readonly verdicts: Int32Array } | undefined {
  const verdicts = new Int32Array(new SharedArrayBuffer(4 * records.lines.length))
  try {
    const worker = new Worker(workerSource(), {
      eval: true,
      workerData: { dir, text: records.text, numbersAt: records.numbersAt, numbers: records.numbers, verdicts },
      stdout: true,
      stderr: true,
    })
    // The process ends when the main thread is done: the worker has stopped by then, or is not needed any more.
    worker.unref()
    // An error in the worker leaves its claimed folder to the main thread's wait (WAIT_MS), and the rest to it.
    worker.on('error', () => {})
    return { worker, verdicts }
  } catch {
    return undefined
  }
}

/** The worker's script: CommonJS, with unchangedFolder's own text (it is self-contained for this). */
function workerSource(): string {
  return `'use strict'
const { workerData } = require('node:worker_threads')
const { statSync } = require('node:fs')
const { join, sep } = require('node:path')
const unchangedFolder = (${unchangedFolder.toString()})
const stat = (path) => {
  try {
    return statSync(path, { throwIfNoEntry: false })
  } catch {
    return undefined
  }
}
const { dir, text, numbersAt, numbers, verdicts } = workerData
const lines = text.split('\\n')
for (let index = numbersAt.length - 1; index >= 0; index--) {
  if (Atomics.compareExchange(verdicts, index, ${UNCLAIMED}, ${CLAIMED}) !== ${UNCLAIMED}) break
  let same = false
  try {
    const line = lines[index]
    same = unchangedFolder(stat, join(dir, line.slice(0, line.indexOf('\\t'))), line, numbers, numbersAt[index], sep)
  } finally {
    Atomics.store(verdicts, index, same ? ${SAME} : ${SAME + 1})
    Atomics.notify(verdicts, index)
  }
}
`
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false })
  } catch {
    return undefined
  }
}
