/**
 * Prints a command's result as `az` does: `json` (stable, for scripts), `yaml`, `table` (the columns
 * an operator scans) or `tsv` (values only), after an optional JMESPath `--query`.
 */
import Table from 'cli-table3';
import { search } from 'jmespath';
import YAML from 'yaml';
import { UsageError } from './errors.js';

export const OUTPUT_FORMATS = ['json', 'yaml', 'table', 'tsv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** One column of a table: its header and how a row shows in it. */
export interface Column {
  header: string;
  value: (row: Record<string, unknown>) => unknown;
}

export interface PrintOptions {
  format: OutputFormat;
  query?: string;
  /** The table's columns for this kind of result (without them, or after a query, the top-level scalars). */
  columns?: readonly Column[];
}

/** The value as plain JSON (dates as ISO strings), so a query sees what `json` prints. */
export function toPlain(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
}

/** Applies a JMESPath expression; a bad expression is a usage error worded by the parser. */
export function applyQuery(value: unknown, query: string): unknown {
  try {
    return search(value, query) as unknown;
  } catch (error) {
    throw new UsageError(`--query '${query}' is not a JMESPath expression: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function genericColumns(rows: readonly unknown[]): Column[] {
  const names: string[] = [];
  for (const row of rows) {
    if (!isRecord(row)) continue;
    for (const [name, value] of Object.entries(row)) if ((value === null || typeof value !== 'object') && !names.includes(name)) names.push(name);
  }
  return names.map((name) => ({ header: name.charAt(0).toUpperCase() + name.slice(1), value: (row) => row[name] }));
}

function table(value: unknown, columns: readonly Column[] | undefined): string {
  const rows = Array.isArray(value) ? value : [value];
  if (rows.every((row) => !isRecord(row))) return rows.map(cell).join('\n');
  const chosen = columns ?? genericColumns(rows);
  const out = new Table({
    head: chosen.map((c) => c.header),
    style: { head: [], border: [], compact: true, 'padding-left': 0, 'padding-right': 2 },
    chars: { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '' },
  });
  out.push(chosen.map((c) => '-'.repeat(c.header.length)));
  for (const row of rows) out.push(chosen.map((c) => cell(isRecord(row) ? c.value(row) : row)));
  return out.toString().split('\n').map((line) => line.trimEnd()).join('\n');
}

function tsv(value: unknown, columns: readonly Column[] | undefined): string {
  const rows = Array.isArray(value) ? value : [value];
  return rows
    .map((row) => {
      if (!isRecord(row)) return cell(row);
      if (columns) return columns.map((c) => cell(c.value(row))).join('\t');
      return Object.values(row).filter((v) => v === null || typeof v !== 'object').map(cell).join('\t');
    })
    .join('\n');
}

/** The text `value` prints as (no trailing newline). */
export function render(value: unknown, options: PrintOptions): string {
  const plain = toPlain(value);
  const shown = options.query ? applyQuery(plain, options.query) : plain;
  const columns = options.query ? undefined : options.columns;
  switch (options.format) {
    case 'json':
      return JSON.stringify(shown, null, 2);
    case 'yaml':
      return YAML.stringify(shown).trimEnd();
    case 'tsv':
      return tsv(shown, columns);
    case 'table':
      return table(shown, columns);
  }
}
