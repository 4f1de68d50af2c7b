// Timing helpers: warm figures are tinybench medians; cold figures are a single first call.
import { Bench } from 'tinybench';

export interface Row {
  /** Workload id from BENCHMARKS.md (W0-W4) or 'K' for per-kernel rows. */
  id: string;
  /** `<kernel or workload> <shape> <backend>` */
  name: string;
  metric: string;
  /** First call in this process (baseline tier / first touch), when measured. */
  cold?: number;
  /** Median after warm-up. */
  warm: number;
  note?: string;
}

/** Median milliseconds per call of fn after warm-up (tinybench, at least `iterations` samples). */
export async function warmMs(fn: () => void, time = 300, iterations = 5): Promise<number> {
  const bench = new Bench({ time, iterations, warmupIterations: 3, warmupTime: 50 });
  bench.add('task', fn);
  await bench.run();
  const r = bench.tasks[0]!.result as { state: string; latency?: { p50?: number }; error?: unknown };
  if (r.state !== 'completed' || r.latency?.p50 === undefined)
    throw new Error(`benchmark failed: ${String(r.error ?? r.state)}`);
  return r.latency.p50;
}

/** Milliseconds of one call. */
export function onceMs(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

export const gflops = (flops: number, ms: number): number => flops / (ms * 1e6);
export const perSecond = (count: number, ms: number): number => (count * 1000) / ms;
