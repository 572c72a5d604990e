import type { BenchReport } from '../harness/types.js';
import { HEADER, machineLine, reportRows } from './rows.js';

function pad(text: string, width: number): string {
  // Count code points, so ✓ and × line up like any other character.
  const length = [...text].length;
  return text + ' '.repeat(Math.max(0, width - length));
}

/** The report as an aligned plain-text table for the terminal. */
export function renderTable(report: BenchReport): string {
  const rows = [HEADER, ...reportRows(report)];
  const widths = HEADER.map((_, column) => Math.max(...rows.map((row) => [...(row[column] ?? '')].length)));
  const lines = rows.map((row) => row.map((cell, column) => pad(cell, widths[column]!)).join('  ').trimEnd());
  lines.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '));
  const out = [machineLine(report), '', ...lines];
  for (const scenario of report.scenarios) {
    if (scenario.status === 'failed') out.push('', `${scenario.id} FAILED: ${scenario.error ?? 'no error reported'}`);
  }
  return out.join('\n');
}

/** The report as a Markdown table (for the README). */
export function renderMarkdown(report: BenchReport): string {
  const escape = (cell: string): string => cell.replace(/\|/g, '\\|');
  const lines = [
    `_${machineLine(report)}_`,
    '',
    `| ${HEADER.join(' | ')} |`,
    `| ${HEADER.map(() => '---').join(' | ')} |`,
    ...reportRows(report).map((row) => `| ${row.map(escape).join(' | ')} |`),
  ];
  return lines.join('\n');
}
