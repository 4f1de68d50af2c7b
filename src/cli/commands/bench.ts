// backprop-wasm bench: `npm run bench` when the repository (with bench/) is there; an installed
// package ships only the library, so it says where the benchmarks are instead.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseFlags, positionals } from '../args.js';
import { CliError, EXIT } from '../errors.js';

/** The package root: dist/src/cli/commands/ is four levels below it. */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export async function benchCommand(argv: string[]): Promise<number | 'help'> {
  const { values, positionals: given } = parseFlags('bench', argv, { help: { type: 'boolean' } });
  if (values.help) return 'help';
  positionals('bench', given, []);
  if (!existsSync(`${ROOT}bench/run.ts`)) {
    throw new CliError(
      'the benchmarks are not part of the installed package: clone the backprop-wasm repository, then run "npm install && npm run bench" there (about 150 s)',
      EXIT.failed,
    );
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const run = spawnSync(npm, ['run', 'bench'], { cwd: ROOT, stdio: 'inherit' });
  if (run.error) throw new CliError(`cannot run npm: ${run.error.message}`, EXIT.failed);
  return run.status ?? EXIT.failed;
}
