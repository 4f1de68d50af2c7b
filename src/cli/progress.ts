// Per-epoch progress: a cli-progress bar when the stream is a terminal, otherwise one plain line per
// epoch (epoch, loss, metrics, samples/s, ETA) that logs and pipes can keep.
import { SingleBar } from 'cli-progress';

export interface EpochReport {
  /** 1-based */
  epoch: number;
  loss: number;
  samplesPerSecond: number;
  /** accuracy, val_loss, val_accuracy, val_mae, val_rmse… in the order to show them */
  metrics: Record<string, number>;
}

export interface Progress {
  epoch(report: EpochReport): void;
  /** Ends the bar (call it on failure too). */
  done(): void;
}

export interface ProgressOptions {
  epochs: number;
  stream?: NodeJS.WriteStream;
  quiet?: boolean;
  /** Force the bar or plain lines; default: a bar on a terminal. */
  bar?: boolean;
}

const int = (v: number): string => Math.round(v).toLocaleString('en-US');

export function formatMetric(name: string, v: number): string {
  return /accuracy/.test(name) ? `${(100 * v).toFixed(2)}%` : Math.abs(v) >= 1e4 ? v.toExponential(3) : v.toFixed(4);
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

const describe = (r: EpochReport): string =>
  [
    `loss ${formatMetric('loss', r.loss)}`,
    ...Object.entries(r.metrics).map(([k, v]) => `${k} ${formatMetric(k, v)}`),
  ].join('  ');

export function createProgress({
  epochs,
  stream = process.stdout,
  quiet = false,
  bar = stream.isTTY === true,
}: ProgressOptions): Progress {
  if (quiet) return { epoch: () => {}, done: () => {} };
  const started = performance.now();
  const width = String(epochs).length;
  if (!bar) {
    const every = Math.ceil(epochs / 25); // about 25 lines at most, and always the last epoch run
    let unshown: EpochReport | null = null;
    const line = (r: EpochReport): void => {
      const elapsed = (performance.now() - started) / 1000;
      const eta = (elapsed / r.epoch) * (epochs - r.epoch);
      stream.write(
        `epoch ${String(r.epoch).padStart(width)}/${epochs}  ${describe(r)}  ${int(r.samplesPerSecond)} samples/s  ETA ${formatSeconds(eta)}\n`,
      );
    };
    return {
      epoch(r) {
        unshown = r.epoch % every !== 0 && r.epoch !== epochs ? r : null;
        if (!unshown) line(r);
      },
      done() {
        if (unshown) line(unshown);
        unshown = null;
      }, // e.g. early stopping between shown epochs
    };
  }
  const b = new SingleBar({
    stream,
    hideCursor: true,
    clearOnComplete: false,
    barsize: 24,
    etaBuffer: 5,
    barCompleteChar: '\u2588',
    barIncompleteChar: '\u2591',
    format: 'epoch {value}/{total} {bar} {metrics}  {rate} samples/s  ETA {eta_formatted}',
  });
  b.start(epochs, 0, { metrics: '', rate: '–' });
  return {
    epoch(r) {
      b.update(r.epoch, { metrics: describe(r), rate: int(r.samplesPerSecond) });
    },
    done() {
      b.stop();
    },
  };
}

/**
 * One JSON object per epoch on `stream` (JSON Lines, for programs: a sweep driver reads the metrics
 * as they come): {"event":"epoch","epoch":1,"loss":…,"val_loss":…}, epochs 1-based.
 */
export function jsonLines(stream: NodeJS.WritableStream = process.stdout): Progress {
  return {
    epoch(r) {
      stream.write(
        `${JSON.stringify({ event: 'epoch', epoch: r.epoch, loss: r.loss, ...r.metrics, samplesPerSecond: r.samplesPerSecond })}\n`,
      );
    },
    done() {},
  };
}

/** Reports to every one of `all`. */
export const everyOf = (...all: Progress[]): Progress => ({
  epoch(r) {
    for (const p of all) p.epoch(r);
  },
  done() {
    for (const p of all) p.done();
  },
});
