import { KeelError } from '../../../errors.js'
import type { ImportedMigration, MigrationFormat } from '../imported-migration.js'
import { type FolderFile, folderFiles, tidySql } from '../read-folder.js'

/**
 * Flyway SQL migrations, searched recursively: versioned `V<version>__<desc>.sql`, undo
 * `U<version>__<desc>.sql` (the down of the versioned migration of that version), baseline
 * `B<version>__<desc>.sql` and repeatable `R__<desc>.sql`. As Flyway does on a new database, the latest
 * baseline migration replaces every versioned migration up to its version; repeatables run after the
 * versioned ones, in description order, and become ordinary migrations at the end (Keel has no
 * re-run-on-change). Journal: `flyway_schema_history`.
 */
export const flyway: MigrationFormat = {
  tool: 'flyway',
  describe: 'V1__desc.sql (versioned), U1__desc.sql (undo), B1__desc.sql (baseline), R__desc.sql (repeatable)',
  read(dir) {
    const scripts = folderFiles(dir, { recursive: true }).flatMap((file) => {
      const parsed = parseName(file)
      return parsed === undefined ? [] : [parsed]
    })
    const versioned = scripts.filter((s) => s.prefix === 'V').sort((a, b) => compareVersions(a.version, b.version))
    const undo = new Map(scripts.filter((s) => s.prefix === 'U').map((s) => [normalise(s.version), s]))
    const baselines = scripts.filter((s) => s.prefix === 'B').sort((a, b) => compareVersions(a.version, b.version))
    const baseline = baselines.at(-1)
    const kept =
      baseline === undefined ? versioned : versioned.filter((v) => compareVersions(v.version, baseline.version) > 0)
    const migrations: ImportedMigration[] = []
    if (baseline !== undefined) {
      const superseded = versioned.length - kept.length
      migrations.push({
        version: baseline.version,
        name: baseline.description,
        up: tidySql(baseline.file.text),
        noTransaction: false,
        journalKey: `B${baseline.version}`,
        files: [baseline.file.path],
        notes: [
          `${baseline.file.path}: a baseline migration; it replaces ${superseded} versioned migration${superseded === 1 ? '' : 's'} up to version ${baseline.version}, as Flyway does on a new database`,
        ],
      })
    }
    for (const script of kept) {
      const down = undo.get(normalise(script.version))
      migrations.push({
        version: script.version,
        name: script.description,
        up: tidySql(script.file.text),
        ...(down === undefined ? {} : { down: tidySql(down.file.text) }),
        noTransaction: false,
        journalKey: `V${script.version}`,
        files: down === undefined ? [script.file.path] : [script.file.path, down.file.path],
        notes: [],
      })
    }
    const last = migrations.at(-1)?.version ?? '0'
    for (const script of scripts
      .filter((s) => s.prefix === 'R')
      .sort((a, b) => (a.description < b.description ? -1 : 1))) {
      migrations.push({
        version: `${last}R`,
        name: script.description,
        up: tidySql(script.file.text),
        noTransaction: false,
        journalKey: `R${script.description}`,
        files: [script.file.path],
        notes: [
          `${script.file.path}: a repeatable migration, imported to run once after the versioned ones; a later change to it is a new migration`,
        ],
      })
    }
    return migrations
  },
}

interface Script {
  readonly prefix: 'V' | 'U' | 'B' | 'R'
  readonly version: string
  readonly description: string
  readonly file: FolderFile
}

function parseName(file: FolderFile): Script | undefined {
  const repeatable = /^R__(.+)\.sql$/.exec(file.name)
  if (repeatable) return { prefix: 'R', version: '', description: repeatable[1] ?? '', file }
  const match = /^([VUB])(\d+(?:[._]\d+)*)__(.+)\.sql$/.exec(file.name)
  if (!match) {
    if (/^[VUBR].*\.sql$/.test(file.name)) {
      throw new KeelError('IMPORT_SOURCE', `${file.path}: not a Flyway script name (V1__description.sql)`)
    }
    return undefined
  }
  return {
    prefix: match[1] as 'V' | 'U' | 'B',
    version: (match[2] ?? '').replaceAll('_', '.'),
    description: match[3] ?? '',
    file,
  }
}

/** Flyway compares versions part by part, numerically, ignoring trailing zero parts (1.0 = 1). */
function compareVersions(a: string, b: string): number {
  const [x, y] = [normalise(a).split('.').map(Number), normalise(b).split('.').map(Number)]
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

function normalise(version: string): string {
  return version
    .split('.')
    .map(Number)
    .join('.')
    .replace(/(\.0)+$/, '')
}
