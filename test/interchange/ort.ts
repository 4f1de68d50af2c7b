// onnxruntime-node (CPU) as the reference runtime for ONNX files.
import ort from 'onnxruntime-node';

/** Runs a model on rows of `cols` features (float32 or float64 by the array type). */
export async function runOrt(
  bytes: Uint8Array,
  x: Float32Array | Float64Array,
  cols: number,
): Promise<ArrayLike<number>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const dtype = x instanceof Float32Array ? 'float32' : 'float64';
    const feeds = { [session.inputNames[0]!]: new ort.Tensor(dtype, x, [x.length / cols, cols]) };
    const out = await session.run(feeds);
    return out[session.outputNames[0]!]!.data as Float32Array | Float64Array;
  } finally {
    await session.release();
  }
}

/** Runs a model whose input is images [N, C, H, W] on channels-first rows of c·h·w values. */
export async function runOrtImages(
  bytes: Uint8Array,
  x: Float32Array | Float64Array,
  [c, h, w]: readonly number[],
): Promise<ArrayLike<number>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const t = new ort.Tensor(x instanceof Float32Array ? 'float32' : 'float64', x, [
      x.length / (c! * h! * w!),
      c!,
      h!,
      w!,
    ]);
    const out = await session.run({ [session.inputNames[0]!]: t });
    return out[session.outputNames[0]!]!.data as Float32Array | Float64Array;
  } finally {
    await session.release();
  }
}
