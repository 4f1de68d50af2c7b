// init() loads the module from bytes, an ArrayBuffer, a compiled WebAssembly.Module or a URL; a
// failed init can be retried. Each case runs in its own Node process (the runtime is per process).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const ENTRY = new URL('../dist/src/index.node.js', import.meta.url).href;
const WASM = new URL('../dist/backprop.wasm', import.meta.url).href;

function run(setup: string): { out: string; err: string; status: number | null } {
  const script = `
    import { readFileSync } from 'node:fs';
    import { init, Network } from '${ENTRY}';
    const bytes = readFileSync(new URL('${WASM}'));
    ${setup}
    const net = await Network.create({ layers: [2, 8, 1], activation: 'tanh', loss: 'crossEntropy', seed: 1 });
    const h = net.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]], { epochs: 300, optimizer: 'adam', learningRate: 0.1 });
    console.log(JSON.stringify({ accuracy: h.accuracy.at(-1) }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return { out: r.stdout.trim(), err: r.stderr, status: r.status };
}

describe('init(source)', () => {
  it.each([
    ['bytes (Uint8Array)', 'await init(new Uint8Array(bytes));'],
    ['an ArrayBuffer', 'await init(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));'],
    ['a compiled WebAssembly.Module', 'await init(await WebAssembly.compile(bytes));'],
    ['a file: URL', `await init(new URL('${WASM}'));`],
    ['nothing (the default location)', ''],
    [
      'after a failed attempt with bad bytes',
      'await init(new Uint8Array([0, 1, 2])).then(() => { throw new Error("accepted bad bytes"); }, () => {}); await init(bytes);',
    ],
  ])('%s', (_, setup) => {
    const r = run(setup);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ accuracy: 1 });
  });
});
