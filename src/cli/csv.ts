// Reads a CSV file with a header row (csv-parse: quoted fields, embedded commas and newlines, a BOM,
// CRLF). The delimiter is given or detected from the header line (',' ';' or tab). The header is
// checked (by the caller's `header` callback too) before any data row is parsed. Every row must have
// the header's field count; empty lines are skipped. Rows keep the line they start on, so later
// checks can point at them.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { CliError, dataError } from './errors.js';

export interface Row {
  line: number;
  fields: string[];
}
export interface Table {
  file: string;
  header: string[];
  rows: Row[];
}

/**
 * The 1-based line each record starts on, from the byte offsets where records end (info.bytes):
 * csv-parse's own line count (info.lines) counts a CRLF inside a quoted field as two lines. A line
 * break is CRLF, LF or a lone CR; the empty lines skipped before a record are counted too.
 */
function startLines(bytes: Uint8Array, ends: number[]): number[] {
  const CR = 13,
    LF = 10;
  let at = 0,
    line = 1;
  const breakAt = (i: number): number => (bytes[i] === CR ? (bytes[i + 1] === LF ? 2 : 1) : bytes[i] === LF ? 1 : 0);
  return ends.map((end) => {
    for (let n = breakAt(at); at < end && n > 0; n = breakAt(at)) {
      at += n;
      line++;
    } // skipped empty lines
    const start = line;
    for (; at < end; at++) {
      const n = breakAt(at);
      if (n) {
        line++;
        at += n - 1;
      }
    }
    return start;
  });
}

export interface ReadOptions {
  /** ',' ';' '\t' or another single character; default: detected from the header line. */
  delimiter?: string;
  /** Called with the header before any data row is parsed (e.g. to check that needed columns exist). */
  header?: (table: Table) => void;
}

/** The flag's text as a delimiter: one character, or "tab" / "\t". */
export function parseDelimiter(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const d = raw === 'tab' || raw === '\\t' ? '\t' : raw;
  if (d.length !== 1 || d === '"' || d === '\n' || d === '\r') {
    throw new CliError(
      `--delimiter must be one character such as , ; or tab (given as "tab" or "\\t"); got ${JSON.stringify(raw)}`,
    );
  }
  return d;
}

/** The most frequent of , ; and tab outside quotes on the first line (',' when none is there). */
export function detectDelimiter(bytes: Uint8Array): string {
  const counts = new Map([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = String.fromCharCode(bytes[i]!);
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}

export function readTable(file: string, { delimiter, header: onHeader }: ReadOptions = {}): Table {
  let bytes: Buffer;
  try {
    // /dev/stdin: read descriptor 0 itself, which works for a socket too (open() of one fails, ENXIO).
    bytes = readFileSync(file === '/dev/stdin' ? 0 : file);
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const sep = delimiter ?? detectDelimiter(bytes);
  const base = { bom: true, delimiter: sep, relax_column_count: true, skip_empty_lines: true } as const;
  let headRecords: string[][];
  try {
    headRecords = parse(bytes, { ...base, to: 1 }) as string[][];
  } catch (e) {
    throw dataError(file, 1, `not valid CSV: ${(e as Error).message.replace(/ at line \d+/, '')}`);
  }
  if (!headRecords[0]) throw new CliError(`${file} is empty: it needs a header row naming the columns, then data rows`);
  const header = checkHeader(file, headRecords[0], sep);
  onHeader?.({ file, header, rows: [] });
  let records: { record: string[] }[];
  const ends: number[] = []; // where each record ends (bytes), for line numbers
  try {
    records = parse(bytes, {
      ...base,
      info: true,
      on_record: (record, { bytes: end }) => {
        ends.push(end);
        return record;
      },
    }) as unknown as typeof records;
  } catch (e) {
    // Located at the start of the record that failed (csv-parse's own "at line N" is dropped: it
    // counts a CRLF in a quoted field twice).
    const line = startLines(bytes, [...ends, bytes.length]).at(-1)!;
    throw dataError(file, line, `not valid CSV: ${(e as Error).message.replace(/ at line \d+/, '')}`);
  }
  const lines = startLines(bytes, ends);
  const [, ...body] = records;
  const rows = body.map(({ record }, i) => {
    const line = lines[i + 1]!;
    if (record.length !== header.length) {
      throw dataError(
        file,
        line,
        `${record.length} fields, but the header has ${header.length} (${header.join(', ')})`,
      );
    }
    return { line, fields: record };
  });
  if (rows.length === 0) throw new CliError(`${file} has a header row but no data rows`);
  return { file, header, rows };
}

function checkHeader(file: string, record: string[], sep: string): string[] {
  const header = record.map((name) => name.trim());
  header.forEach((name, i) => {
    if (name === '') throw dataError(file, 1, `column ${i + 1} of the header row has no name`);
    if (header.indexOf(name) !== i) throw dataError(file, 1, `two columns are named "${name}"`);
  });
  const other = [',', ';', '\t'].find((d) => d !== sep && header.length === 1 && header[0]!.includes(d));
  if (other) {
    throw dataError(
      file,
      1,
      `the header is one column named ${JSON.stringify(header[0])}: is the delimiter ${JSON.stringify(other)}? give --delimiter ${other === '\t' ? 'tab' : `"${other}"`}`,
    );
  }
  return header;
}

/** The index of a column, or an error listing the columns there are. */
export function columnIndex(table: Table, name: string, role = 'column'): number {
  const i = table.header.indexOf(name);
  if (i < 0) throw new CliError(`${table.file} has no ${role} "${name}"; its columns are: ${table.header.join(', ')}`);
  return i;
}

/** RFC 4180 quoting for one output field. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
