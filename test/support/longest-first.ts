/**
 * Test files in order of how long they took, longest first, so that a fresh clone's run (no vitest cache,
 * where vitest would order by file size) does not start a minutes-long file last and wait on it alone.
 * file-durations.json holds seconds per file, every file of a full run on the loaded 2-core machine; only the
 * order matters. A file not listed is new, and may be the slowest of all: it starts first (in vitest's order
 * among the new ones), since a short file started early costs a few seconds while a long one started last leaves
 * the other workers idle while it runs alone (a full run of 2026-12-06 started three unlisted ~60 s files in its last
 * fifth). Refresh it after adding or reshaping a slow file:
 * `npx vitest run --reporter=json --outputFile=run.json && node test/support/refresh-durations.mjs run.json`.
 */
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { BaseSequencer, type TestSpecification } from 'vitest/node'

const seconds: Readonly<Record<string, number>> = JSON.parse(
  readFileSync(new URL('./file-durations.json', import.meta.url), 'utf8'),
)

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files)
    const weight = (spec: TestSpecification): number =>
      seconds[relative(spec.project.config.root, spec.moduleId).split('\\').join('/')] ?? Number.MAX_SAFE_INTEGER
    // Array.prototype.sort is stable: unlisted files keep vitest's own order among themselves.
    return base.sort((a, b) => weight(b) - weight(a))
  }
}
