// The backprop-wasm command: picks the command, runs it, turns errors into a message and an exit code.
import { readFileSync } from 'node:fs';
import { benchCommand } from './commands/bench.js';
import { evaluateCommand } from './commands/evaluate.js';
import { exportCommand } from './commands/export.js';
import { predictCommand } from './commands/predict.js';
import { trainCommand } from './commands/train.js';
import { CliError, EXIT } from './errors.js';
import { USAGE } from './help.js';
import { cleanUp } from './files.js';
import { handleSignals } from './signals.js';

const COMMANDS: Record<string, (argv: string[]) => Promise<number | 'help'>> = {
  train: trainCommand,
  evaluate: evaluateCommand,
  predict: predictCommand,
  export: exportCommand,
  bench: benchCommand,
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Runs the command line `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  handleSignals();
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      const topic = command === 'help' && rest[0] && USAGE[rest[0]] ? rest[0] : 'main';
      process.stdout.write(`${USAGE[topic]}\n`);
      return command === undefined ? EXIT.usage : EXIT.ok;
    }
    if (command === '--version' || command === '-v') {
      process.stdout.write(`${version()}\n`);
      return EXIT.ok;
    }
    const run = COMMANDS[command];
    if (!run)
      throw new CliError(
        `unknown command "${command}": the commands are ${Object.keys(COMMANDS).join(', ')} (backprop-wasm --help)`,
      );
    const code = await run(rest);
    if (code === 'help') {
      process.stdout.write(`${USAGE[command]}\n`);
      return EXIT.ok;
    }
    return code;
  } catch (e) {
    cleanUp();
    if (e instanceof CliError) {
      process.stderr.write(`backprop-wasm: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`backprop-wasm: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT.failed;
  }
}
