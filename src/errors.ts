// Error types: every rejected input throws one of these, with a message saying what and where.

/** Bad arguments: shapes, names, ranges, non-finite values. */
export class ValidationError extends Error {
  override name = 'ValidationError';
}

/** Training produced a non-finite loss; the network keeps the weights from before that batch. */
export class DivergenceError extends Error {
  override name = 'DivergenceError';
  constructor(
    message: string,
    readonly epoch: number,
    readonly batch: number,
  ) {
    super(message);
  }
}

/** A model file (JSON) that is inconsistent or corrupt. */
export class ModelFormatError extends Error {
  override name = 'ModelFormatError';
}

/**
 * Memory ran out: WebAssembly linear memory (4 GiB at most) or the caller's memoryLimit cannot hold
 * what a call needs. The call changed nothing. `requested` and `available` are in bytes. A subclass of
 * ValidationError, as size refusals were before it existed.
 */
export class ResourceError extends ValidationError {
  override name = 'ResourceError';
  constructor(
    message: string,
    readonly requested: number,
    readonly available: number,
  ) {
    super(message);
  }
}

/** Use of a network after dispose(). */
export class DisposedError extends Error {
  override name = 'DisposedError';
}

/**
 * Training stopped by an AbortSignal or a job's cancel(). `lastEpoch` is the last epoch that finished
 * (null: none did). fitAsync and trainInWorker build it with AbortError.after, so both read alike.
 */
export class AbortError extends Error {
  override name = 'AbortError';
  constructor(
    message: string,
    readonly lastEpoch: number | null = null,
  ) {
    super(message);
  }

  /** "<what> was aborted after epoch N", or "... before any epoch finished". */
  static after(what: string, lastEpoch: number | null | undefined): AbortError {
    const last = lastEpoch ?? null;
    return new AbortError(
      last === null ? `${what} was aborted before any epoch finished` : `${what} was aborted after epoch ${last}`,
      last,
    );
  }
}

/** Throws a ValidationError unless `ok`. */
export function check(ok: boolean, message: string): asserts ok {
  if (!ok) throw new ValidationError(message);
}

/** Longest text of a value in a message. */
const SHOWN_MAX = 200;

/**
 * A value for a message: numbers as themselves (JSON would print NaN and Infinity as null), others
 * as JSON cut to 200 characters. Never throws: a BigInt, a circular or deeply nested value (whose JSON
 * would throw or overflow the stack) is described instead.
 */
export function shown(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (v === undefined) return 'undefined';
  if (typeof v === 'function') return 'a function';
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    return `${Array.isArray(v) ? 'an array' : `a ${typeof v}`} that cannot be shown (circular, nested too deep, or holding a BigInt)`;
  }
  return shownText(text);
}

/** Text for a message (a name read from a file, say), cut as shown() cuts a value's JSON: to 200 characters. */
export function shownText(text: string): string {
  return text.length > SHOWN_MAX ? `${text.slice(0, SHOWN_MAX - 3)}...` : text;
}

/** Formats a name list for "expected one of" messages. */
export function oneOf(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(', ');
}
