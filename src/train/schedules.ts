// Learning-rate schedules: functions of the 0-based epoch index, as Keras' LearningRateScheduler
// calls them (once, before the epoch's first batch). Any (epoch) => rate function works as
// `learningRate`; these are the common ones.
import { check, shown } from '../errors.js';

export type Schedule = (epoch: number) => number;

const positive = (v: unknown, what: string): number => {
  check(
    typeof v === 'number' && Number.isFinite(v) && v > 0,
    `schedules: ${what} must be a positive number; got ${shown(v)}`,
  );
  return v;
};

export const schedules = {
  /** initial · rate^epoch. */
  exponential(initial: number, rate: number): Schedule {
    positive(initial, 'initial');
    positive(rate, 'rate');
    return (epoch) => initial * rate ** epoch;
  },
  /** initial · factor^⌊epoch / everyEpochs⌋: multiplied by factor every `everyEpochs` epochs. */
  step(initial: number, factor: number, everyEpochs: number): Schedule {
    positive(initial, 'initial');
    positive(factor, 'factor');
    check(
      Number.isInteger(everyEpochs) && everyEpochs > 0,
      `schedules: everyEpochs must be a positive integer; got ${shown(everyEpochs)}`,
    );
    return (epoch) => initial * factor ** Math.floor(epoch / everyEpochs);
  },
  /** Cosine decay from initial to minimum over `epochs` epochs, then minimum: min + (initial − min)(1 + cos(π e / epochs)) / 2. */
  cosine(initial: number, epochs: number, minimum = 0): Schedule {
    positive(initial, 'initial');
    check(Number.isInteger(epochs) && epochs > 0, `schedules: epochs must be a positive integer; got ${shown(epochs)}`);
    check(
      typeof minimum === 'number' && Number.isFinite(minimum) && minimum >= 0 && minimum < initial,
      `schedules: minimum must be a number in [0, initial); got ${shown(minimum)}`,
    );
    return (epoch) =>
      minimum + ((initial - minimum) * (1 + Math.cos((Math.PI * Math.min(epoch, epochs)) / epochs))) / 2;
  },
};
