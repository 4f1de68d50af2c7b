// The predict timing of bench:peers, shared by the browser page (ONNX Runtime Web beside
// backprop-wasm) and the Node run: the same networks, inputs and alternating rounds in both.

/** The W1 and W2 networks of docs/workloads.md, sigmoid hidden layers and a softmax output. */
export const NETS = { W1: [784, 128, 10], W2: [784, 512, 512, 10] };
export const ROWS = [1, 64, 1024];
export const NET_OPTIONS = { activation: 'sigmoid', output: 'softmax', loss: 'crossEntropy', seed: 1 };

/** Deterministic inputs in [0, 1): rows x 784. */
export const inputsOf = (rows) => new Float32Array(784 * rows).map((_, i) => ((i * 2654435761) % 1000) / 1000);

export const macsOf = (layers, rows) => rows * layers.slice(1).reduce((s, o, i) => s + o * layers[i], 0);

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s[s.length >> 1];
};

/**
 * µs per call of each contender ({ name, run, sync }), measured in alternating rounds (the order
 * reversed every other round) after a warm-up, so load from other processes falls on all alike:
 * the median round of each, and its quartile spread.
 */
export async function timeAlternating(contenders, macs, rounds = 21) {
  const calls = Math.max(2, Math.round(1.5e7 / macs)); // a few milliseconds per round
  const times = contenders.map(() => []);
  const batch = async (c) => {
    const t = performance.now();
    if (c.sync) for (let i = 0; i < calls; i++) c.run();
    else for (let i = 0; i < calls; i++) await c.run();
    return ((performance.now() - t) * 1000) / calls;
  };
  for (const c of contenders) {
    await batch(c);
    await batch(c);
  }
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const i = r % 2 ? contenders.length - 1 - k : k;
      times[i].push(await batch(contenders[i]));
    }
  }
  return contenders.map((c, i) => {
    const s = [...times[i]].sort((x, y) => x - y);
    return {
      name: c.name,
      us: median(s),
      min: s[0],
      q1: s[Math.floor(s.length / 4)],
      q3: s[Math.floor((3 * s.length) / 4)],
      calls,
      rounds,
    };
  });
}
