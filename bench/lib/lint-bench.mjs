import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { measureRounds } from './measure.mjs'
import { BENCH_DIR, KEEL_BIN, peerBin } from './peers.mjs'
import { timedCommand } from './proc.mjs'
import { progress } from './stats.mjs'

/** The statements of migration `i`: what generated and hand-written migrations hold, safe and not. */
function migrationSql(i) {
  const t = `t${i}`
  return [
    `create table ${t} (id bigint generated always as identity primary key, user_id bigint, email text, created_at timestamptz not null default now());`,
    `create index ${t}_email_idx on ${t} (email);`,
    `alter table users add column c${i} text;`,
    `create index concurrently users_c${i}_idx on users (c${i});`,
    `alter table posts add constraint posts_fk${i} foreign key (author_id) references users (id) not valid;`,
    `alter table posts alter column title type varchar(${100 + i});`,
    `update users set c${i} = 'x' where id < 1000;`,
    '',
  ].join('\n')
}

/**
 * `keel lint` against squawk (squawk-cli on npm, a Rust binary) on the same `count` migration folders, each
 * run as a person runs it: the CLI from cold, all files in one call, findings printed. Both exit 1 on findings;
 * the shell wrapper makes that a success for timing (the same for both), and any other failure a failure.
 */
export async function benchLint({ dir, count, runs, installError }) {
  const migrations = join(dir, 'lint-migrations')
  const files = []
  for (let i = 0; i < count; i++) {
    // A valid version (14 digits of a UTC time: seconds below 60), or keel stops at the first bad folder name.
    const two = (n) => String(n).padStart(2, '0')
    const version = `20260101${two(Math.floor(i / 3600))}${two(Math.floor(i / 60) % 60)}${two(i % 60)}`
    const folder = join(migrations, `${version}_m${i}`)
    mkdirSync(folder, { recursive: true })
    writeFileSync(join(folder, 'up.sql'), migrationSql(i))
    writeFileSync(join(folder, 'down.sql'), `drop table t${i};\n`)
    files.push(join(folder, 'up.sql'))
  }
  progress(`lint: ${count} migration folders, ${runs} runs each`)
  const squawk = peerBin('squawk', installError)
  // Exit 1 (findings) counts as a run; anything else (2: bad input) fails the bench instead of timing an error.
  const shell = (command, args) => [
    '-c',
    `"$0" "$@" > /dev/null; s=$?; [ $s -le 1 ] && exit 0; exit $s`,
    command,
    ...args,
  ]
  const run = (id, label, role, command, args, error) => ({
    id,
    label,
    role,
    ...(error ? { error } : {}),
    fn: async () => (await timedCommand('sh', shell(command, args), { cwd: BENCH_DIR })).ms,
  })
  return measureRounds(
    [
      run('lint.keel', `Keel: keel lint, ${count} files`, 'keel', 'node', [
        KEEL_BIN,
        'lint',
        '--format',
        'json',
        ...files,
      ]),
      run(
        'lint.squawk',
        `peer: squawk, ${count} files`,
        'peer',
        squawk.path,
        ['--reporter', 'json', ...files],
        squawk.error,
      ),
    ],
    runs,
  )
}
