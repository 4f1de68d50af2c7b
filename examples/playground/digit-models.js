// The digits tab's two models and the threads they train on. Both read the same rows: 28x28 pixels
// in [0, 1], row by row (channels-last with one channel), as the bundled MNIST digits and
// mnistPixels() give them; the CNN's inputShape [28, 28, 1] reads those rows as images.

/** Network.create's options (without threads) and the default epochs, by the value of #digitModel. */
export const DIGIT_MODELS = {
  mlp: {
    label: '784-128-10, relu/softmax',
    epochs: 8,
    create: { layers: [784, 128, 10], activation: 'relu', output: 'softmax', loss: 'crossEntropy', seed: 1 },
  },
  cnn: {
    // C1 (npm run mnist-cnn) at half its widths: 4 epochs on 9,000 digits take seconds on one core.
    label: 'CNN: conv 16 3×3, max-pool 2, conv 32 3×3, max-pool 2, dense 64, dense 10',
    epochs: 4,
    create: {
      inputShape: [28, 28, 1],
      layers: [
        { type: 'conv2d', filters: 16, kernelSize: 3, activation: 'relu' },
        { type: 'maxPooling2d', poolSize: 2 },
        { type: 'conv2d', filters: 32, kernelSize: 3, activation: 'relu' },
        { type: 'maxPooling2d', poolSize: 2 },
        { type: 'flatten' },
        { type: 'dense', units: 64, activation: 'relu' },
        { type: 'dense', units: 10, activation: 'softmax' },
      ],
      loss: 'crossEntropy',
      seed: 1,
    },
  },
};

/**
 * The threads setting for the training worker: 'auto' (the cores) on a cross-origin isolated page,
 * where the worker can share its memory with threads of its own; 1 elsewhere, where it cannot.
 */
export function threadsSetting() {
  return globalThis.crossOriginIsolated === true ? 'auto' : 1;
}

/** What the page says about threads before training. */
export function threadsNote() {
  return globalThis.crossOriginIsolated === true
    ? `threads on: the page is cross-origin isolated; training uses up to ${navigator.hardwareConcurrency} cores`
    : 'threads off: the page is not cross-origin isolated (COOP and COEP headers, as npm run demo sends), so training runs on one thread';
}
