// Flags on node:util's parseArgs (strict: unknown flags, missing values and a flag given twice are errors), plus the
// checks that turn flag text into numbers, lists and names with a message saying what to do.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Parses `argv` for `command`; a mistake becomes a CliError that says where the options are listed. */
export function parseFlags(
  command: string,
  argv: string[],
  options: Options,
  help = `run "backprop-wasm ${command} --help" for the options`,
): Parsed {
  try {
    const { values, positionals, tokens } = parseArgs({
      args: argv,
      options,
      strict: true,
      allowPositionals: true,
      tokens: true,
    });
    const seen = new Set<string>();
    for (const t of tokens) {
      if (t.kind !== 'option') continue;
      if (seen.has(t.name)) throw new CliError(`--${t.name} is given twice: give it once (${help})`);
      seen.add(t.name);
    }
    return { values: values as Parsed['values'], positionals };
  } catch (e) {
    if (e instanceof CliError) throw e;
    const err = e as { code?: string; message: string };
    const flag = /'(-{1,2}[^' ]+)/.exec(err.message)?.[1];
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new CliError(`unknown option ${flag ?? ''}: ${help}`);
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      throw new CliError(
        `${flag ?? 'an option'} ${/argument missing/.test(err.message) ? 'needs a value' : 'takes no value'}: ${help}`,
      );
    }
    throw new CliError(`${err.message}: ${help}`);
  }
}

/** Exactly `names.length` positional arguments, or a message naming the missing ones. */
export function positionals(command: string, given: string[], names: string[]): string[] {
  if (given.length < names.length) {
    throw new CliError(
      `${command} needs ${names.map((n) => `<${n}>`).join(' ')}; missing <${names[given.length]}>: run "backprop-wasm ${command} --help"`,
    );
  }
  if (given.length > names.length)
    throw new CliError(
      `${command} takes ${names.length} argument(s), got ${given.length}: unexpected "${given[names.length]}"`,
    );
  return given;
}

export function text(values: Parsed['values'], name: string, fallback: string): string;
export function text(values: Parsed['values'], name: string): string | undefined;
export function text(values: Parsed['values'], name: string, fallback?: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : fallback;
}

export function choice<T extends string>(
  values: Parsed['values'],
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const v = text(values, name, fallback);
  if (!(allowed as readonly string[]).includes(v))
    throw new CliError(`--${name} must be one of ${allowed.join(', ')}; got "${v}"`);
  return v as T;
}

/** A number within [min, max] (an integer if `integer`). */
export function number(
  values: Parsed['values'],
  name: string,
  fallback: number | undefined,
  { min = -Infinity, max = Infinity, integer = false, above = false } = {},
): number | undefined {
  const raw = text(values, name);
  if (raw === undefined) return fallback;
  const v = raw.trim() === '' ? NaN : Number(raw);
  const kind = integer ? 'an integer' : 'a number';
  const range = above ? `above ${min}` : max === Infinity ? `>= ${min}` : `between ${min} and ${max}`;
  if (!Number.isFinite(v) || (integer && !Number.isInteger(v)) || (above ? v <= min : v < min) || v > max) {
    throw new CliError(`--${name} must be ${kind} ${range}; got "${raw}"`);
  }
  return v;
}
