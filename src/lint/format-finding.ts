import type { Finding } from './rule.js'

/**
 * One finding as the CLI prints it, compiler style: `file:line:column: severity[rule]: message`, the statement's
 * lines with a caret under the column, then the hint.
 */
export function formatFinding(finding: Finding, lineText?: (line: number) => string): string {
  const head = `${finding.file}:${finding.line}:${finding.column}: ${finding.severity}[${finding.rule}]: ${finding.message}`
  const frame = lineText === undefined ? [] : codeFrame(finding, lineText)
  return [head, ...frame, `  = help: ${finding.hint}`].join('\n')
}

function codeFrame(finding: Finding, lineText: (line: number) => string): readonly string[] {
  const text = lineText(finding.line)
  if (text.trim() === '') return []
  const gutter = String(finding.line).length
  const pad = ' '.repeat(gutter)
  return [`${pad} |`, `${finding.line} | ${text}`, `${pad} | ${' '.repeat(Math.max(0, finding.column - 1))}^`]
}
