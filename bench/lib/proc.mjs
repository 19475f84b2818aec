import { spawn } from 'node:child_process'
import { elapsedMs } from './stats.mjs'

/**
 * Runs a command to completion and returns its wall time in milliseconds (spawn to exit, which is what
 * a person or a CI job waits for). stdout is counted, not kept, unless `keepStdout`; stderr is kept so
 * that a failure can say why. A non-zero exit throws with the last lines of output.
 */
export function timedCommand(command, args, options = {}) {
  const { cwd, env, keepStdout = false, timeoutMs = 600_000 } = options
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint()
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdoutBytes = 0
    const stdoutChunks = []
    const stderrTail = []
    child.stdout.on('data', (chunk) => {
      stdoutBytes += chunk.length
      if (keepStdout) stdoutChunks.push(chunk)
      else keepTail(stderrTail, chunk)
    })
    child.stderr.on('data', (chunk) => keepTail(stderrTail, chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const ms = elapsedMs(start)
      if (code !== 0) {
        // The last lines that are not stack frames: a Node tool's error ends with them (knex's `error: ... - out
        // of shared memory` came out as six `at ...` lines).
        const lines = Buffer.concat(stderrTail).toString('utf8').trim().split('\n')
        const tail = lines
          .filter((line) => !/^\s+at /.test(line))
          .slice(-6)
          .join('\n')
        const why = signal ? `killed by ${signal}` : `exit ${code}`
        reject(new Error(`${command} ${args.slice(0, 2).join(' ')} failed (${why}): ${tail}`))
        return
      }
      resolve({ ms, stdoutBytes, stdout: keepStdout ? Buffer.concat(stdoutChunks).toString('utf8') : '' })
    })
  })
}

// Keeps the last ~16 KiB of output for error messages without holding megabytes of progress lines.
function keepTail(chunks, chunk) {
  chunks.push(chunk)
  let size = chunks.reduce((sum, c) => sum + c.length, 0)
  while (size > 16_384 && chunks.length > 1) size -= chunks.shift().length
}
