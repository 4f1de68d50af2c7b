// The subpaths: ./onnx and ./tfjs resolve through the exports map; their browser builds reach no
// node: module; the main entry does not reach them (nor anything they bring).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as onnx from 'backprop-wasm/onnx';
import * as tfjs from 'backprop-wasm/tfjs';

const bundle = async (source: string, platform: 'browser' | 'node'): Promise<string[]> => {
  const result = await build({
    stdin: { contents: source, resolveDir: new URL('.', import.meta.url).pathname, loader: 'js' },
    bundle: true,
    write: false,
    platform,
    format: 'esm',
    metafile: true,
    logLevel: 'silent',
    external: ['*.wasm'],
  });
  return Object.keys(result.metafile.inputs);
};

describe('interchange subpaths', () => {
  it('are in the exports map, with the Node helpers only under the node condition', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.exports['./onnx'].node).toBe('./dist/src/interchange/onnx/index.node.js');
    expect(pkg.exports['./tfjs'].default).toBe('./dist/src/interchange/tfjs/index.js');
    expect(Object.keys(onnx).sort()).toEqual([
      'DEFAULT_OPSET',
      'fromONNX',
      'readONNXMetadata',
      'toChannelsLast',
      'toONNX',
    ]);
    expect(Object.keys(tfjs).sort()).toEqual([
      'WEIGHTS_FILE',
      'fromLayersModel',
      'loadLayersModel',
      'readLayersModelMetadata',
      'saveLayersModel',
      'toLayersModel',
    ]);
  });

  it('browser bundles of ./onnx and ./tfjs reach no node: module; the main entry reaches neither', async () => {
    for (const sub of ['onnx', 'tfjs']) {
      const inputs = await bundle(`export * from 'backprop-wasm/${sub}';`, 'browser');
      expect(
        inputs.filter((f) => f.startsWith('node:')),
        sub,
      ).toEqual([]);
      expect(
        inputs.some((f) => f.includes(`interchange/${sub}/`)),
        sub,
      ).toBe(true);
    }
    const tfjsNode = await bundle(`export * from 'backprop-wasm/tfjs';`, 'node');
    expect(tfjsNode.some((f) => f.endsWith('interchange/tfjs/node.js'))).toBe(true);
    for (const platform of ['browser', 'node'] as const) {
      const main = await bundle(`export * from 'backprop-wasm';`, platform);
      expect(
        main.filter((f) => f.includes('interchange')),
        platform,
      ).toEqual([]);
    }
  });
});
