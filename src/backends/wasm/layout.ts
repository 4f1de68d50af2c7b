// Writes the layer table that assembly/train.ts reads, and says where the threads' control block
// keeps its words. The module exports its own offsets (assembly/abi.ts, assembly/threads.ts) and
// checkLayout/checkControlBlock compare them with these at load: a stale .wasm is refused.

export const HEADER = {
  layers: 0,
  loss: 1,
  optimizer: 2,
  workspace: 3,
  maxRows: 4,
  xBatch: 5,
  yBatch: 6,
  failedBatch: 7,
  failedKind: 8,
  metric: 9,
  dropoutSeed: 10,
  stages: 11,
  cols: 12,
  inputWidth: 13,
} as const;
/** Values of the metric field (assembly/layout.ts METRIC_*). */
export const METRICS = { accuracy: 0, mae: 1 } as const;
/** Values of the failedKind field (assembly/layout.ts FAIL_*). */
export const FAILURE_KINDS = { 1: 'loss', 2: 'update' } as const;
export const HEADER_WORDS = 16;
export const LAYER = {
  in: 0,
  out: 1,
  act: 2,
  W: 3,
  b: 4,
  dW: 5,
  db: 6,
  A: 7,
  D: 8,
  s1W: 9,
  s1b: 10,
  s2W: 11,
  s2b: 12,
  Z: 13,
  mask: 14,
  dropped: 15,
  dropThreshold: 16,
} as const;
export const LAYER_WORDS = 20;
/** An image stage's record (assembly/layout.ts S_*), after the layer records; flatten has none. */
export const STAGE = {
  type: 0,
  height: 1,
  width: 2,
  channels: 3,
  kh: 4,
  kw: 5,
  sh: 6,
  sw: 7,
  top: 8,
  left: 9,
  oh: 10,
  ow: 11,
  filters: 12,
  act: 13,
  useBias: 14,
  W: 15,
  b: 16,
  dW: 17,
  db: 18,
  A: 19,
  D: 20,
  Z: 21,
  argmax: 22,
  s1W: 23,
  s1b: 24,
  s2W: 25,
  s2b: 26,
} as const;
export const STAGE_WORDS = 28;
/** Values of a stage's type field (assembly/layout.ts STAGE_*). */
export const STAGE_TYPES = { conv2d: 1, maxPooling2d: 2, averagePooling2d: 3 } as const;

/** The control block of a threaded network (assembly/threads.ts): i32 word indices. */
export const CONTROL = {
  gen: 0,
  done: 1,
  error: 2,
  kind: 3,
  count: 4,
  ws: 5,
  wsStride: 6,
  jobs: 7,
  job: 8,
  bad: 40,
} as const;

/** A field's name in the module: maxRows -> MAX_ROWS, s1W -> S1W, dropThreshold -> DROP_THRESHOLD. */
const abiName = (key: string): string => key.replace(/([a-z0-9])([A-Z][a-z])/g, '$1_$2').toUpperCase();

/** Every constant of the ABI layout, as the module names it and as this side has it. */
function layoutConstants(): [name: string, value: number][] {
  return [
    ...Object.entries(HEADER).map(([k, v]): [string, number] => [`H_${abiName(k)}`, v]),
    ...Object.entries(LAYER).map(([k, v]): [string, number] => [`L_${abiName(k)}`, v]),
    ...Object.entries(STAGE).map(([k, v]): [string, number] => [`S_${abiName(k)}`, v]),
    ['HEADER_WORDS', HEADER_WORDS],
    ['LAYER_WORDS', LAYER_WORDS],
    ['STAGE_WORDS', STAGE_WORDS],
    ['STAGE_CONV', STAGE_TYPES.conv2d],
    ['STAGE_MAX_POOL', STAGE_TYPES.maxPooling2d],
    ['STAGE_AVERAGE_POOL', STAGE_TYPES.averagePooling2d],
    ['METRIC_CORRECT', METRICS.accuracy],
    ['METRIC_ABS_ERROR', METRICS.mae],
    ...Object.entries(FAILURE_KINDS).map(([code, kind]): [string, number] => [
      `FAIL_${kind.toUpperCase()}`,
      Number(code),
    ]),
  ];
}

function compare(raw: Record<string, unknown>, expected: [string, number][], what: string): void {
  for (const [name, value] of expected) {
    const global = raw[name];
    const got = global instanceof WebAssembly.Global ? global.value : undefined;
    if (got !== value) {
      throw new Error(
        `backprop-wasm: backprop.wasm puts ${what} ${name} at ${String(got)}, but this JavaScript uses ${value}; rebuild it (npm run build)`,
      );
    }
  }
}

/** The module's layer table layout (its exported H_*, L_* … globals) must be this file's. */
export function checkLayout(raw: Record<string, unknown>): void {
  compare(raw, layoutConstants(), 'the layer table field');
}

/** A threaded module's control block offsets (CTL_*, in bytes) must be CONTROL's. */
export function checkControlBlock(raw: Record<string, unknown>): void {
  compare(
    raw,
    Object.entries(CONTROL).map(([k, v]): [string, number] => [`CTL_${abiName(k)}`, v * 4]),
    'the thread control word',
  );
}

export type HeaderFields = Record<keyof typeof HEADER, number>;
export type LayerFields = Record<keyof typeof LAYER, number>;
export type StageFields = Record<keyof typeof STAGE, number>;

export function descriptorWords(layers: number, stages = 0): number {
  return HEADER_WORDS + layers * LAYER_WORDS + stages * STAGE_WORDS;
}

/** Writes header, layer and stage records into the descriptor at ptr. */
export function writeDescriptor(
  memory: WebAssembly.Memory,
  ptr: number,
  header: HeaderFields,
  layers: LayerFields[],
  stages: StageFields[] = [],
): void {
  const words = new Int32Array(memory.buffer, ptr, descriptorWords(layers.length, stages.length));
  words.fill(0);
  for (const [k, i] of Object.entries(HEADER)) words[i] = header[k as keyof HeaderFields];
  layers.forEach((l, li) => {
    for (const [k, i] of Object.entries(LAYER)) words[HEADER_WORDS + li * LAYER_WORDS + i] = l[k as keyof LayerFields];
  });
  const base = HEADER_WORDS + layers.length * LAYER_WORDS;
  stages.forEach((s, si) => {
    for (const [k, i] of Object.entries(STAGE)) words[base + si * STAGE_WORDS + i] = s[k as keyof StageFields];
  });
}

export function readHeader(memory: WebAssembly.Memory, ptr: number, field: keyof typeof HEADER): number {
  return new Int32Array(memory.buffer, ptr, HEADER_WORDS)[HEADER[field]]!;
}
