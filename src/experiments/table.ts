// An experiment's table, written twice: table.md for a person (a paragraph on what was compared and
// how, the settings, the FID caveat and floor, the table, the figures) and table.json for a program
// (the same rows with every figure, the settings, and the floor).
import { join } from 'node:path'
import { writeFileAtomic } from '../report/atomic.ts'
import { FID_NAME } from '../eval/fid.ts'
import type { Cell, Column, Table } from './types.ts'

export interface TableDocument {
  experiment: string
  title: string
  about: string
  command: string
  settings: Record<string, unknown>
  fid: { name: string; floor: number; halves: [number, number]; samples: number; testImages: number; classifier: { run: string; dataset: string; testAccuracy: number } }
  table: Table
  figures: { file: string; caption: string }[]
}

export function formatCell(value: Cell | undefined, column: Column): string {
  if (value === null || value === undefined) return '-'
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (typeof value === 'string') return value.replace(/\|/g, '\\|')
  if (!Number.isFinite(value)) return String(value)
  return column.percent ? `${(100 * value).toFixed(column.digits ?? 1)}%` : value.toFixed(column.digits ?? 2)
}

export function markdownTable(table: Table): string {
  const head = `| ${table.columns.map((c) => c.title).join(' | ')} |`
  const rule = `| ${table.columns.map(() => '---').join(' | ')} |`
  const rows = table.rows.map((row) => `| ${table.columns.map((c) => formatCell(row[c.key], c)).join(' | ')} |`)
  return [head, rule, ...rows].join('\n')
}

export function renderMarkdown(doc: TableDocument): string {
  const { fid } = doc
  const settings = Object.entries(doc.settings)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ')
  return [
    `# ${doc.title}`,
    '',
    doc.about,
    '',
    `Command: \`${doc.command}\``,
    '',
    `Settings: ${settings}.`,
    '',
    `FID here is ${FID_NAME}: the Fréchet distance on the penultimate features of genkata's own evaluation classifier (${fid.classifier.run}, ${(100 * fid.classifier.testAccuracy).toFixed(2)}% test accuracy on ${fid.classifier.dataset}), not on Inception's, so it is comparable only with other genkata FIDs from the same classifier and sample sizes, never with published FIDs. ` +
      `Each FID compares ${fid.samples} samples with the ${fid.testImages} test images. The floor (the test set against itself, one random half against the other: ${fid.halves[0]} and ${fid.halves[1]} images) is ${fid.floor.toFixed(2)}; no model can be expected to score below it.`,
    '',
    markdownTable(doc.table),
    '',
    ...doc.figures.flatMap((f) => [`![${f.caption}](${f.file})`, '', `${f.caption}`, '']),
  ].join('\n')
}

/** Writes table.md and table.json into `dir`; non-finite numbers become null in the JSON. */
export function writeTable(dir: string, doc: TableDocument): void {
  writeFileAtomic(join(dir, 'table.md'), renderMarkdown(doc))
  writeFileAtomic(join(dir, 'table.json'), JSON.stringify(doc, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n')
}
