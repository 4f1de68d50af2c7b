// npm run build: builds only what changed. Each WebAssembly target of asconfig.json is compiled when
// its .wasm is missing or older than a file of assembly/, asconfig.json or the installed compiler; the
// TypeScript goes through tsc -b tsconfig.build.json (tsconfig.json, incremental, its build info in dist/
// so that `npm run clean` resets it): nothing is compiled when no source changed.
// `node scripts/build.mjs wasm` or `… ts` builds one half. `npm run rebuild` builds everything from clean.
//
// asc runs in this process through its API, with the options of asconfig.json unchanged (converge on),
// so each .wasm is byte-identical to the one `asc … --target …` writes. Only one line of its output is
// dropped: "Last converge was suboptimal.", which says that the last of its repeated optimization
// rounds made the module a few bytes larger and the round stopped there (it is not a warning about
// the code; turning converge off to avoid it gives a larger module).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
process.chdir(ROOT);
/** Entry file of each target, in build order. */
const TARGETS = [
  ['release', 'assembly/index.ts'],
  ['relaxed', 'assembly/index.ts'],
  ['threads', 'assembly/index-threads.ts'],
  ['relaxed-threads', 'assembly/index-threads.ts'],
];
const SUBOPTIMAL = /^Last converge was suboptimal\.\r?\n?$/;

function newest(paths) {
  let t = 0;
  for (const p of paths) {
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(readdirSync(p).map((f) => join(p, f))) : s.mtimeMs);
  }
  return t;
}

async function buildWasm() {
  const config = JSON.parse(readFileSync('asconfig.json', 'utf8'));
  const sources = newest(['assembly', 'asconfig.json', 'node_modules/assemblyscript/package.json']);
  for (const [target, entry] of TARGETS) {
    const out = config.targets[target].outFile;
    if (existsSync(out) && statSync(out).mtimeMs >= sources) continue;
    console.log(`asc ${entry} --target ${target}`);
    const { default: asc } = await import('assemblyscript/asc'); // loaded only when a target is built (about a second)
    const stderr = asc.createMemoryStream((chunk) => {
      const text = typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
      if (!SUBOPTIMAL.test(text)) process.stderr.write(text);
    });
    const { error } = await asc.main([entry, '--target', target], { stdout: process.stdout, stderr });
    if (error) {
      console.error(`asc failed for the target ${target}: ${error.message}`);
      process.exit(1);
    }
  }
}

function buildTs() {
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const only = process.argv[2];
if (only !== undefined && only !== 'wasm' && only !== 'ts') {
  console.error(`usage: node scripts/build.mjs [wasm|ts]; got ${JSON.stringify(only)}`);
  process.exit(2);
}
if (only !== 'ts') await buildWasm();
if (only !== 'wasm') buildTs();
