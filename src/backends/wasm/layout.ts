// Writes the layer table that assembly/train.ts reads; field offsets mirror assembly/layout.ts.

export const HEADER = { layers: 0, loss: 1, optimizer: 2, workspace: 3, maxRows: 4, xBatch: 5, yBatch: 6, failedBatch: 7, failedKind: 8, metric: 9, dropoutSeed: 10 } as const;
/** Values of the metric field (assembly/layout.ts METRIC_*). */
export const METRICS = { accuracy: 0, mae: 1 } as const;
/** Values of the failedKind field (assembly/layout.ts FAIL_*). */
export const FAILURE_KINDS = { 1: 'loss', 2: 'update' } as const;
export const HEADER_WORDS = 16;
export const LAYER = { in: 0, out: 1, act: 2, W: 3, b: 4, dW: 5, db: 6, A: 7, D: 8, s1W: 9, s1b: 10, s2W: 11, s2b: 12, Z: 13, mask: 14, dropped: 15, dropThreshold: 16 } as const;
export const LAYER_WORDS = 20;

export type HeaderFields = Record<keyof typeof HEADER, number>;
export type LayerFields = Record<keyof typeof LAYER, number>;

export function descriptorWords(layers: number): number {
  return HEADER_WORDS + layers * LAYER_WORDS;
}

/** Writes header and layer records into the descriptor at ptr. */
export function writeDescriptor(memory: WebAssembly.Memory, ptr: number, header: HeaderFields, layers: LayerFields[]): void {
  const words = new Int32Array(memory.buffer, ptr, descriptorWords(layers.length));
  words.fill(0);
  for (const [k, i] of Object.entries(HEADER)) words[i] = header[k as keyof HeaderFields];
  layers.forEach((l, li) => {
    for (const [k, i] of Object.entries(LAYER)) words[HEADER_WORDS + li * LAYER_WORDS + i] = l[k as keyof LayerFields];
  });
}

export function readHeader(memory: WebAssembly.Memory, ptr: number, field: keyof typeof HEADER): number {
  return new Int32Array(memory.buffer, ptr, HEADER_WORDS)[HEADER[field]]!;
}
