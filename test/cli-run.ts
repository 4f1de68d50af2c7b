// Running the built backprop-wasm command as a child process, for the CLI tests.
import { execFile } from 'node:child_process';

export const BIN = new URL('../bin/backprop-wasm.js', import.meta.url).pathname;
/** Preloaded by a run that should get `HOOK_SIGNAL` while its output is renamed into place. */
export const SIGNAL_HOOK = new URL('./fixtures/cli-signal-hook.mjs', import.meta.url).pathname;

export interface Run {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** Runs `node [nodeArgs] bin/backprop-wasm.js args` in `cwd`. */
export function cli(
  cwd: string,
  args: string[],
  { nodeArgs = [] as string[], env = {} as Record<string, string> } = {},
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...nodeArgs, BIN, ...args],
      { cwd, encoding: 'utf8', env: { ...process.env, ...env } },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: number | string; signal?: string }) | null;
        resolve({
          code: e ? (typeof e.code === 'number' ? e.code : null) : 0,
          signal: e?.signal ?? null,
          stdout,
          stderr,
        });
      },
    );
  });
}

/** The last JSON line of `train --json` (the summary; the lines before it are one per epoch). */
// biome-ignore lint/suspicious/noExplicitAny: the tests read the summary's fields by name, as a user's script would
export const summary = (stdout: string): Record<string, any> => JSON.parse(stdout.trim().split('\n').at(-1)!);

/** A seeded xorshift RNG in [0, 1), for the CLI tests' generated tables. */
export function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}
