// PyTorch CPU training rows for W1 and W2 (mlp_torch.py), at 1 and 2 threads (torch.set_num_threads),
// each with glibc's MALLOC_MMAP_THRESHOLD_ unset and at 16 MiB: PyTorch's speed here depends on it.
// Skipped with a note when /usr/bin/python3 has no torch.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
const script = fileURLToPath(new URL('./mlp_torch.py', import.meta.url));

/** Calls report(workload, who, value, unit, note) for each row; returns false when PyTorch could not run. */
export function torchRows(report) {
  const version = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (version.status !== 0) {
    console.log(`PyTorch rows skipped: ${PYTHON} has no torch`);
    return false;
  }
  const torch = version.stdout.trim().split('+')[0];
  for (const threshold of [undefined, '16777216']) {
    const env = { ...process.env };
    delete env.MALLOC_MMAP_THRESHOLD_;
    if (threshold) env.MALLOC_MMAP_THRESHOLD_ = threshold;
    const run = spawnSync(PYTHON, [script, '--threads', '1', '2'], { encoding: 'utf8', env });
    if (run.status !== 0) throw new Error(`mlp_torch.py failed: ${run.stderr}`);
    for (const line of run.stdout.trim().split('\n')) {
      const r = JSON.parse(line);
      report(
        r.workload,
        `PyTorch ${torch} CPU, ${r.threads} thread${r.threads > 1 ? 's' : ''}${threshold ? ', mmap threshold 16 MiB' : ''}`,
        r.samples_per_s,
        'samples/s',
        threshold ? '(MALLOC_MMAP_THRESHOLD_=16777216)' : '(MALLOC_MMAP_THRESHOLD_ unset)',
      );
    }
  }
  return true;
}
