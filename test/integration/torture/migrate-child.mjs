// The runner in a process of its own, for the torture suite to SIGKILL: `node migrate-child.mjs URL DIR`.
// It runs the same migrate() that `keel migrate` runs, minus the CLI's argument parsing and lint step,
// and says `go` when the first migration starts (with `early`: before it takes the lock), so that a kill
// timed from `go` lands in the runner's work (lock, journal writes, statements), not in module loading.
// With `last-batch`, it kills itself right after a backfill's last batch commits (a fixed kill point). A failure
// is printed as `error[CODE]: message` and exits 1.
const [url, dir, when] = process.argv.slice(2)
const { migrate } = await import('../../../dist/migrate/runner.js')
let said = false
const go = () => {
  if (!said) process.stdout.write('go\n')
  said = true
}
if (when === 'early') go()
const onBackfill = (progress) => {
  if (when === 'last-batch' && progress.done) process.kill(process.pid, 'SIGKILL')
}
try {
  await migrate({ url, migrationsDir: dir, lockWaitMs: 60_000, events: { onStart: go, onBackfill } })
} catch (error) {
  // As the CLI says it (error[CODE]: message), so that the tamper cases can check the code.
  process.stderr.write(`error[${error?.code ?? 'INTERNAL'}]: ${error?.message ?? String(error)}\n`)
  process.exit(1)
}
process.stdout.write('done\n')
