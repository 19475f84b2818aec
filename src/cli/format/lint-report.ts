import { formatFinding } from '../../lint/format-finding.js'
import type { LintedFile } from '../../lint/lint-migration.js'
import { Positions } from '../../lint/positions.js'
import type { Finding, Rule } from '../../lint/rule.js'
import { colors } from '../output.js'
import { plural } from './plural.js'

export type LintFormat = 'pretty' | 'json' | 'github' | 'sarif'
export const LINT_FORMATS: readonly LintFormat[] = ['pretty', 'json', 'github', 'sarif']

/** Counts of a lint run, by severity. */
export function countFindings(files: readonly LintedFile[]): { errors: number; warnings: number; infos: number } {
  const all = files.flatMap((f) => f.findings)
  return {
    errors: all.filter((f) => f.severity === 'error').length,
    warnings: all.filter((f) => f.severity === 'warning').length,
    infos: all.filter((f) => f.severity === 'info').length,
  }
}

/** Compiler-style text: each finding with a code frame of its line, then a summary line. */
export function renderPretty(files: readonly LintedFile[]): string {
  const blocks: string[] = []
  for (const file of files) {
    const positions = new Positions(file.text)
    for (const finding of file.findings) {
      const text = formatFinding(finding, (line) => positions.lineText(line))
      blocks.push(colorize(text, finding))
    }
  }
  const { errors, warnings, infos } = countFindings(files)
  const summary =
    errors + warnings + infos === 0
      ? `${plural(files.length, 'file')} linted: no findings.`
      : `${plural(files.length, 'file')} linted: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}${infos > 0 ? `, ${infos} info` : ''}.`
  return [...blocks, summary].join('\n\n')
}

function colorize(text: string, finding: Finding): string {
  const paint = finding.severity === 'error' ? colors.red : finding.severity === 'warning' ? colors.yellow : colors.cyan
  const label = `${finding.severity}[${finding.rule}]`
  return text.replace(label, paint(label))
}

/** The JSON document of `keel lint --json` / `--format json`. */
export function renderJson(files: readonly LintedFile[]): unknown {
  return {
    findings: files.flatMap((file) =>
      file.findings.map((f) => ({
        rule: f.rule,
        severity: f.severity,
        message: f.message,
        file: f.file,
        line: f.line,
        column: f.column,
        hint: f.hint,
      })),
    ),
    files: files.map((f) => f.file),
    ...countFindings(files),
  }
}

/** GitHub Actions workflow commands: one annotation per finding on the line it names. */
export function renderGithub(files: readonly LintedFile[]): string {
  const level = { error: 'error', warning: 'warning', info: 'notice' } as const
  return files
    .flatMap((file) =>
      file.findings.map(
        (f) =>
          `::${level[f.severity]} file=${escapeProperty(f.file)},line=${f.line},col=${f.column},title=${escapeProperty(f.rule)}::${escapeData(`${f.message}. ${f.hint}`)}`,
      ),
    )
    .join('\n')
}

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C')

/** SARIF 2.1.0, as code-scanning tools read it. */
export function renderSarif(files: readonly LintedFile[], version: string, allRules: readonly Rule[]): unknown {
  const findings = files.flatMap((f) => f.findings)
  const used = allRules.filter((r) => findings.some((f) => f.rule === r.id))
  const level = { error: 'error', warning: 'warning', info: 'note' } as const
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'keel',
            version,
            rules: used.map((r) => ({
              id: r.id,
              shortDescription: { text: r.summary },
              help: { text: r.help },
              defaultConfiguration: { level: level[r.severity] },
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.rule,
          level: level[f.severity],
          message: { text: `${f.message}. ${f.hint}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file.split('\\').join('/') },
                region: { startLine: f.line, startColumn: f.column },
              },
            },
          ],
        })),
      },
    ],
  }
}
