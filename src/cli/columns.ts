// Which columns are features (--features, --ignore), how each becomes network inputs (a number, or
// a text column one-hot encoded over its categories), and missing values (an empty field):
// --missing error (the default: an error naming the line), drop (the row) or mean (a numeric
// column's training mean; a text column's inputs all 0).
import { CliError, dataError } from './errors.js';
import { columnIndex, type Row, type Table } from './csv.js';
import { decimalCommaError, decimalCommas, isNumeric } from './dataset.js';

export type Missing = 'error' | 'drop' | 'mean';
export const MISSING = ['error', 'drop', 'mean'] as const;

/**
 * What an error on an empty field adds, for `command` under --missing `missing` (for predict and
 * evaluate, the model's): train suggests the --missing choices; predict and evaluate take the
 * model's (they have no --missing flag), so they say to fill the field or leave the row out. Empty
 * when the field would have been filled or dropped.
 */
export function missingHint(command: 'train' | 'predict' | 'evaluate', missing: Missing): string {
  if (command === 'train')
    return missing === 'error'
      ? " (a missing value): fill it in, or give --missing drop (leave such rows out) or --missing mean (a numeric column's mean)"
      : '';
  return missing === 'mean'
    ? ''
    : ` (a missing value; the model was trained with --missing ${missing}, so ${command} cannot fill it): fill it in, or leave the row out`;
}

/** How a feature column becomes inputs: one number, or one 0/1 input per category. */
export interface Encoding {
  column: string;
  categories?: string[];
}

/** A text column with more distinct values than this (or than half its rows) is refused: an ID or free text. */
export const MAX_CATEGORIES = 50;

/**
 * A --features / --ignore list: comma-separated names, or 1-based column numbers for entries that are
 * not a column's name. Every entry must exist.
 */
export function columnList(table: Table, raw: string, flag: string): string[] {
  return raw
    .split(',')
    .map((part) => part.trim())
    .filter((p) => p !== '')
    .map((p) => {
      if (table.header.includes(p)) return p;
      const n = Number(p);
      if (Number.isInteger(n) && n >= 1 && n <= table.header.length) return table.header[n - 1]!;
      throw new CliError(
        `--${flag}: ${table.file} has no column "${p}" (give names, or column numbers from 1 to ${table.header.length}); its columns are: ${table.header.join(', ')}`,
      );
    });
}

/** The feature columns: --features, else every column but the target and the --ignore ones. */
export function featureColumns(table: Table, target: string, features?: string, ignore?: string): string[] {
  if (features !== undefined && ignore !== undefined) throw new CliError('give --features or --ignore, not both');
  const ignored = new Set(ignore === undefined ? [] : columnList(table, ignore, 'ignore'));
  const chosen =
    features !== undefined
      ? columnList(table, features, 'features')
      : table.header.filter((c) => c !== target && !ignored.has(c));
  if (chosen.includes(target))
    throw new CliError(`--features lists the target "${target}": the target cannot be a feature`);
  if (new Set(chosen).size !== chosen.length) throw new CliError('--features lists a column twice');
  if (chosen.length === 0)
    throw new CliError(
      `${table.file} has no feature columns left besides the target "${target}": there is nothing to learn from`,
    );
  return chosen;
}

/** Rows without an empty field in `columns` (for --missing drop), and how many were dropped. */
export function dropMissing(table: Table, columns: string[]): { table: Table; dropped: number } {
  const idx = columns.map((c) => columnIndex(table, c));
  const rows = table.rows.filter(({ fields }) => idx.every((c) => fields[c]!.trim() !== ''));
  if (rows.length === 0)
    throw new CliError(
      `${table.file}: every row has an empty field in ${columns.join(', ')}: --missing drop leaves nothing`,
    );
  return { table: { ...table, rows }, dropped: table.rows.length - rows.length };
}

/**
 * Each feature's encoding from the rows: a column whose non-empty values are at least half numbers
 * is numeric (every value must then be a number); otherwise it is text, with its categories
 * sorted. A text column with more than MAX_CATEGORIES categories, or one per row, is refused.
 */
export function encodings(table: Table, columns: string[]): Encoding[] {
  return columns.map((column) => {
    const c = columnIndex(table, column, 'feature column');
    const present = table.rows.map(({ fields }) => fields[c]!.trim()).filter((v) => v !== '');
    if (present.length === 0)
      throw new CliError(
        `${table.file}: column "${column}" is empty in every row: leave it out with --ignore "${column}"`,
      );
    if (2 * present.filter(isNumeric).length >= present.length) return { column };
    if (decimalCommas(present)) throw decimalCommaError(table.file, column);
    const categories = [...new Set(present)].sort();
    if (categories.length > MAX_CATEGORIES || (categories.length > 2 && 2 * categories.length > present.length)) {
      throw new CliError(
        `${table.file}: column "${column}" is text with ${categories.length} distinct values in ${present.length} rows, too many to learn as categories (an ID or free text?): leave it out with --ignore "${column}"`,
      );
    }
    return { column, categories };
  });
}

/** The network's input names: a numeric column's name, or column=category per category. */
export const inputNames = (enc: Encoding[]): string[] =>
  enc.flatMap((e) => (e.categories ? e.categories.map((k) => `${e.column}=${k}`) : [e.column]));

/** Means of the numeric columns over the first `rows` rows (their non-empty values), for --missing mean. */
export function columnMeans(table: Table, enc: Encoding[], rows: number): Record<string, number> {
  // Object.fromEntries: a column named "__proto__" becomes an own key, as JSON.parse reads it back.
  return Object.fromEntries(
    enc
      .filter((e) => !e.categories)
      .map((e) => {
        const c = columnIndex(table, e.column);
        const values = table.rows
          .slice(0, rows)
          .map(({ fields }) => fields[c]!.trim())
          .filter(isNumeric)
          .map(Number);
        if (values.length === 0)
          throw new CliError(
            `${table.file}: column "${e.column}" has no value in the training rows to take a mean of: leave it out with --ignore "${e.column}"`,
          );
        // Divided by the largest magnitude first so the sum cannot overflow near ±1e308.
        const m = values.reduce((a, v) => Math.max(a, Math.abs(v)), 0) || 1;
        return [e.column, (values.reduce((a, v) => a + v / m, 0) / values.length) * m];
      }),
  );
}

/**
 * Rows x inputs, row-major. An empty field is an error on its line unless `fill` (--missing mean)
 * gives a numeric column's value ('later': NaN, for fillMissing once the training rows are known; a
 * text column's inputs stay 0); a value outside a text column's categories is an error naming its
 * line and column.
 */
export function encode(
  table: Table,
  enc: Encoding[],
  fill: Record<string, number> | 'later' | null,
  hint: string,
): Float64Array {
  const width = inputNames(enc).length;
  const idx = enc.map((e) => columnIndex(table, e.column, 'feature column'));
  const out = new Float64Array(table.rows.length * width);
  table.rows.forEach((row: Row, r) => {
    let at = r * width;
    enc.forEach((e, j) => {
      const raw = row.fields[idx[j]!]!.trim();
      if (raw === '' && !fill) throw dataError(table.file, row.line, `column "${e.column}" is empty${hint}`);
      if (e.categories) {
        const k = e.categories.indexOf(raw);
        if (k < 0 && raw !== '') {
          throw dataError(
            table.file,
            row.line,
            `column "${e.column}" has "${raw}", which is not one of its categories in training (${e.categories.join(', ')})`,
          );
        }
        if (k >= 0) out[at + k] = 1;
        at += e.categories.length;
        return;
      }
      const v =
        raw === '' ? (fill === 'later' ? NaN : Object.hasOwn(fill!, e.column) ? fill![e.column]! : NaN) : Number(raw);
      if (!Number.isFinite(v) && raw !== '')
        throw dataError(
          table.file,
          row.line,
          `column "${e.column}" is not a number: "${raw}"; the column holds numbers, so every value must be one (fix the row, or leave the column out with --ignore)`,
        );
      out[at++] = v;
    });
  });
  return out;
}

/** Replaces the NaN that encode(…, 'later') left for an empty numeric field with the column's fill. */
export function fillMissing(x: Float64Array, enc: Encoding[], fill: Record<string, number>): void {
  const width = inputNames(enc).length;
  let at = 0;
  for (const e of enc) {
    if (e.categories) {
      at += e.categories.length;
      continue;
    }
    for (let i = at; i < x.length; i += width)
      if (Number.isNaN(x[i]!)) x[i] = Object.hasOwn(fill, e.column) ? fill[e.column]! : NaN;
    at++;
  }
}

/**
 * Numeric feature columns that look like row IDs: every value a distinct integer, together a run of
 * consecutive integers (1..n, 1000..1000+n-1, in any order). Such a column is a warning, not an error.
 */
export function idLike(table: Table, enc: Encoding[]): string[] {
  if (table.rows.length < 10) return [];
  return enc
    .filter((e) => !e.categories)
    .map((e) => e.column)
    .filter((column) => {
      const c = columnIndex(table, column);
      const v = table.rows.map(({ fields }) => Number(fields[c]!.trim()));
      if (!v.every(Number.isInteger)) return false;
      let min = Infinity,
        max = -Infinity;
      for (const x of v) {
        min = Math.min(min, x);
        max = Math.max(max, x);
      }
      return max - min + 1 === v.length && new Set(v).size === v.length;
    });
}
