// Errors the command line reports as one message and an exit code, without a stack trace.

/**
 * Exit codes: 0 done, 1 the run failed (e.g. training diverged), 2 bad flags, data, model file or
 * output path, 128 + the signal's number when stopped: 129 SIGHUP, 130 Ctrl-C (SIGINT), 141 the output was closed
 * (EPIPE, as SIGPIPE), 143 SIGTERM.
 */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  hangup: 129,
  interrupted: 130,
  closedOutput: 141,
  terminated: 143,
} as const;

export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}

/** A problem in a CSV file, located by file, line (1-based, as an editor shows it) and column. */
export function dataError(file: string, line: number, message: string): CliError {
  return new CliError(`${file}:${line}: ${message}`);
}
