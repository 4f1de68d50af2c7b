// npm run bench: every kernel in the registry and the W0-W4 workloads on both backends; prints the
// rows and the targets, writes bench/results.json and regenerates BENCHMARKS.md.
// Each (dtype, backend) pair is measured in its own child process, so the JS baseline is not
// slowed by things that are not its own: a JS kernel that has seen both Float32Array and
// Float64Array runs ~25% slower (polymorphic element access), and once any ArrayBuffer in the
// process has been detached (as WebAssembly memory growth does) V8 adds detach checks to all
// typed-array code, another ~25%. The JS children never instantiate the WASM module.
// Options: --kernels-only, --workloads-only (print only; results are written by a full run).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { init, type BackendName, type DType } from '../src/index.node.js';
import { kernelRows } from './kernels.js';
import { workloadRows } from './workloads.js';
import { checks, markdown, type PeerResults, type Results } from './report.js';
import type { Row } from './measure.js';

const root = new URL('../../', import.meta.url);
const has = (flag: string) => process.argv.includes(flag);
const fmt = (v: number | undefined) => (v === undefined ? '' : v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3));
const log = (r: Row) => console.error(`${r.id.padEnd(3)} ${r.name.padEnd(48)} ${r.metric.padEnd(13)} cold ${fmt(r.cold).padStart(9)}  warm ${fmt(r.warm).padStart(9)}  ${r.note ?? ''}`);

async function child(dtype: DType, backend: BackendName): Promise<void> {
  if (backend === 'wasm') await init();
  const rows: Row[] = [];
  if (!has('--workloads-only')) rows.push(...await kernelRows(dtype, backend, log));
  if (!has('--kernels-only')) rows.push(...await workloadRows(dtype, backend, log));
  process.stdout.write(JSON.stringify(rows));
}

function parent(): void {
  const rows: Row[] = [];
  for (const dtype of ['float32', 'float64']) for (const backend of ['wasm', 'js']) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', dtype, backend, ...process.argv.slice(2)],
      { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`bench child for ${dtype} ${backend} failed with status ${r.status}`);
    rows.push(...JSON.parse(r.stdout.toString()) as Row[]);
  }
  const wasmBytes = statSync(new URL('dist/backprop.wasm', root)).size;
  const results: Results = {
    date: new Date().toISOString(),
    node: process.version,
    machine: { cpu: os.cpus()[0]?.model ?? 'unknown CPU', cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), platform: `${os.platform()} ${os.arch()}` },
    wasmBytes,
    rows,
  };
  console.log('\nTargets:');
  for (const c of checks(rows, wasmBytes)) console.log(`  ${c.met ? 'met    ' : 'MISSED '} ${c.target}: ${c.measured}`);
  if (!has('--kernels-only') && !has('--workloads-only')) {
    writeFileSync(new URL('bench/results.json', root), JSON.stringify(results, null, 1) + '\n');
    const peersFile = new URL('bench/peers/results.json', root);
    const peers = existsSync(peersFile) ? JSON.parse(readFileSync(peersFile, 'utf8')) as PeerResults : null;
    writeFileSync(new URL('BENCHMARKS.md', root), markdown(results, peers));
    console.log('\nwrote bench/results.json and BENCHMARKS.md');
  }
}

const at = process.argv.indexOf('--child');
if (at >= 0) await child(process.argv[at + 1] as DType, process.argv[at + 2] as BackendName);
else parent();
