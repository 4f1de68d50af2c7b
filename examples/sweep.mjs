#!/usr/bin/env node
// A hyper-parameter sweep that runs each trial as a `backprop-wasm train --json` process and reads
// its JSON Lines (one {"event":"epoch"} object per epoch, then {"event":"summary"}). The same loop
// works from Optuna or Ray Tune (subprocess.run, json.loads on each line) or a shell script.
//
//   node examples/sweep.mjs [data.csv] [target]   (default: examples/wine/wine-train.csv cultivar)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const bin = new URL('../bin/backprop-wasm.js', import.meta.url).pathname;
const data = process.argv[2] ?? new URL('wine/wine-train.csv', import.meta.url).pathname;
const target = process.argv[3] ?? 'cultivar';
const dir = mkdtempSync(join(tmpdir(), 'sweep-'));

/** One trial: resolves to its summary; `onEpoch` sees each epoch's metrics as they come. */
function trial(flags, onEpoch) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        bin,
        'train',
        data,
        '--target',
        target,
        '--ignore',
        'id',
        '--json',
        '--quiet',
        '--out',
        join(dir, 'model.json'),
        ...flags,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let summary,
      stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const event = JSON.parse(line);
      if (event.event === 'epoch') onEpoch(event);
      else summary = event;
    });
    child.on('close', (code) => (code === 0 ? resolve(summary) : reject(new Error(`exit ${code}: ${stderr.trim()}`))));
  });
}

const results = [];
for (const layers of ['8', '16', '32,16']) {
  for (const rate of ['0.003', '0.01', '0.03']) {
    let epochs = 0;
    const s = await trial(['--layers', layers, '--learning-rate', rate], () => {
      epochs++;
    });
    results.push({
      layers,
      rate,
      epochs,
      best: s.bestEpoch,
      val_loss: s.final.val_loss,
      val_accuracy: s.final.val_accuracy,
    });
  }
}
rmSync(dir, { recursive: true, force: true });
results.sort((a, b) => a.val_loss - b.val_loss);
console.table(results);
console.log(`best: --layers ${results[0].layers} --learning-rate ${results[0].rate}`);
