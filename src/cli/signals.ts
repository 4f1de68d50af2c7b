// How a CLI run ends from outside. Ctrl-C (SIGINT), SIGTERM or SIGHUP (the terminal closed): during training, the run stops at the
// next epoch and reports (a second signal ends it at once); otherwise, or then, temporary files are
// removed and the process exits with 128 + the signal's number (130, 143, 129), as Unix tools do. A closed
// output (`backprop-wasm predict … | head -1`: EPIPE) ends the run quietly with 141 (128 + SIGPIPE),
// what a shell reports for a tool stopped by its reader, with no message and no stack trace.
import { cleanUp } from './files.js';
import { EXIT } from './errors.js';

const CODES = { SIGHUP: EXIT.hangup, SIGINT: EXIT.interrupted, SIGTERM: EXIT.terminated } as const;
type Signal = keyof typeof CODES;

let training: AbortController | null = null;
let installed = false;

function end(code: number): never {
  cleanUp();
  process.exit(code);
}

/** Installs the handlers (once per process). */
export function handleSignals(): void {
  if (installed) return;
  installed = true;
  for (const signal of Object.keys(CODES) as Signal[]) {
    process.on(signal, () => {
      if (training && !training.signal.aborted) training.abort(signal);
      else end(CODES[signal]);
    });
  }
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' && stream === process.stdout)
        process.stderr.write(`backprop-wasm: cannot write the output: ${e.message}\n`);
      end(e.code === 'EPIPE' ? EXIT.closedOutput : EXIT.failed);
    });
  }
}

/** The exit code for a run stopped by `reason` (the signal's name the abort carries). */
export const interruptedCode = (reason: unknown): number => CODES[reason as Signal] ?? EXIT.interrupted;

/** Runs `run` with an AbortSignal that Ctrl-C (SIGINT), SIGTERM or SIGHUP fires (its reason: the signal's name). */
export async function withInterrupt<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  handleSignals();
  const controller = new AbortController();
  training = controller;
  try {
    return await run(controller.signal);
  } finally {
    training = null;
  }
}
