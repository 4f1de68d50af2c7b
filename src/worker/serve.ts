// The worker side: trains with fitAsync (so a cancel message is seen between epochs), reports each
// epoch, and sends the trained network back as bytes in the transfer list (moved, not copied).
import { Network } from '../network.js';
import { init } from '../backends/wasm/runtime.js';
import type { FromWorker, Port, ToWorker, TrainMessage } from './protocol.js';

async function train(port: Port, m: TrainMessage, signal: AbortSignal): Promise<void> {
  if (m.wasm) await init(m.wasm);
  const net = 'create' in m.network
    ? await Network.create({ ...m.network.create, dtype: m.dtype })
    : await Network.fromBytes(m.network.bytes, { backend: m.network.backend });
  try {
    const history = await net.fitAsync(m.x, m.y, {
      ...m.fit,
      signal,
      onEpochEnd: (epoch, logs) => {
        const every = m.snapshotEvery ?? 0;
        if (every > 0 && (epoch + 1) % every === 0) {
          const bytes = net.toBytes();
          port.post({ type: 'progress', epoch, logs, bytes }, [bytes.buffer as ArrayBuffer]);
        } else {
          port.post({ type: 'progress', epoch, logs });
        }
      },
    });
    const bytes = net.toBytes({ training: true });
    port.post({ type: 'done', bytes, history }, [bytes.buffer as ArrayBuffer]);
  } finally {
    net.dispose();
  }
}

export function serve(port: Port): void {
  const controller = new AbortController();
  port.listen((data) => {
    const m = data as ToWorker;
    if (m.type === 'cancel') { controller.abort(); return; }
    train(port, m, controller.signal).catch((e: unknown) => {
      const err = e instanceof Error ? e : new Error(String(e));
      port.post({ type: 'error', name: err.name, message: err.message } satisfies FromWorker);
    });
  });
}
