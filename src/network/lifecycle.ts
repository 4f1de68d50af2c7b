// What a Network needs around it: predict's option check that allocates nothing in the steady state,
// fitAsync's turn-giving, and the finalizer that frees networks dropped without dispose().
import type { Backend, Model } from '../backends/backend.js';
import { checkOptions } from '../checks/options.js';
import type { FloatArray } from '../util/float-array.js';

// predict's options are checked once per object: listing an object's keys allocates, and a hot
// loop passes the same { out } every call (which must allocate nothing).
const checkedPredictOptions = new WeakSet<object>();
export function predictOptions(options: { out?: FloatArray } | undefined): { out?: FloatArray } {
  if (options === undefined || checkedPredictOptions.has(options)) return options ?? {};
  const o = checkOptions(options, ['out'], 'predict');
  checkedPredictOptions.add(options);
  return o;
}
/** fitAsync gives the event loop a turn once this much training time has passed. */
export const YIELD_AFTER_MS = 8;

// A macrotask without setTimeout's 4 ms clamp (nested timeouts are clamped in browsers and workers).
export function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

// A network dropped without dispose() gives its memory back when it is collected. The held value is
// the model alone (it must not reach the Network, or the Network would never become unreachable).
export const finalizer =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<{ model: Model; backend: Backend }>(({ model, backend }) => {
        model.dispose();
        backend.dispose?.();
      })
    : null;
