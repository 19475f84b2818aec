/**
 * Test files in order of how long they took, longest first, so that a fresh clone's run (no vitest cache,
 * where vitest would order by file size) does not start a minutes-long file last and wait on it alone.
 * file-durations.json holds seconds per file from a full run on the loaded 2-core CI machine (files under
 * 15 s left out); only the order matters. A file not listed runs after the listed ones, in vitest's order.
 * Refresh it after adding a slow file: `npx vitest run --reporter=json --outputFile.json=run.json`, then keep
 * each file's endTime - startTime; or take the per-file milliseconds from a CI log's `✓ file (n tests) 1234ms` lines.
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
      seconds[relative(spec.project.config.root, spec.moduleId).split('\\').join('/')] ?? 0
    // Array.prototype.sort is stable: unlisted files keep vitest's own order among themselves.
    return base.sort((a, b) => weight(b) - weight(a))
  }
}
