// The worker side: trains with fitAsync, reports each epoch, and sends the trained network back as
// bytes in the transfer list (moved, not copied). An error goes back with its class and fields
// (errors.ts). Cancel is the calling side terminating this worker, so there is no cancel message.
import { Network } from '../network/network.js';
import { init } from '../backends/wasm/runtime.js';
import { toWire } from './errors.js';
import type { Port, ToWorker, TrainMessage } from './protocol.js';

async function train(port: Port, m: TrainMessage): Promise<void> {
  if (m.wasm || m.kernels) await init(m.wasm, m.kernels ? { kernels: m.kernels } : {});
  const net =
    'create' in m.network
      ? await Network.create({ ...m.network.create, dtype: m.dtype })
      : await Network.fromBytes(m.network.bytes, { backend: m.network.backend });
  try {
    const history = await net.fitAsync(m.x, m.y, {
      ...m.fit,
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
    port.post({ type: 'done', bytes, history, threads: net.threads }, [bytes.buffer as ArrayBuffer]);
  } finally {
    net.dispose();
  }
}

export function serve(port: Port): void {
  port.listen((data) => {
    train(port, data as ToWorker).catch((e: unknown) => port.post({ type: 'error', error: toWire(e) }));
  });
}
