// --layers and --input-shape: the compact layer grammar of `train` (conv32x3,pool2,dense128), one
// token form per layer kind (a new kind without its form does not compile), each option named as in
// the kind's descriptor and its default taken from it; the flatten the CLI adds before the first dense
// layer of an image network, the output layer added from the target, and the library's own checks
// (ValidationError, naming the layer and the shapes) reported on the token that caused them.
import { LAYER_KINDS, LAYER_TYPES, lowerLayers, MAX_IMAGE_VALUES, PADDINGS, type LayerType } from '../internal.js';
import type { HiddenActivation, ActivationName } from '../index.node.js';
import { CliError } from './errors.js';

/** A layer as Network.create takes it (the library fills the defaults and checks it). */
export type RawLayer = { type: LayerType } & Record<string, unknown>;

interface Form {
  /** How the token is written, for the help. */
  readonly syntax: string;
  readonly example: string;
  /** What the token's numbers mean, for the help (defaults from the descriptor are appended). */
  readonly meaning: string;
  readonly pattern: RegExp;
  /** The layer's options from the pattern's match. */
  options(m: RegExpExecArray, activation: HiddenActivation): Record<string, unknown>;
}

const N = '([0-9]+)'; // ASCII digits only: no sign, exponent, decimal point or other script's digits
const WINDOW = `${N}(?:x${N})?(?:s${N}(?:x${N})?)?(${PADDINGS.join('|')})?`;
const int = (s: string): number => Number(s);
const pair = (a: string | undefined, b: string | undefined): number | [number, number] | undefined =>
  a === undefined ? undefined : b === undefined ? int(a) : [int(a), int(b)];
/** The window options of a match of WINDOW starting at group `g`: size, strides, padding (absent: the descriptor's default). */
const windowOptions = (m: RegExpExecArray, g: number, size: string): Record<string, unknown> => ({
  [size]: pair(m[g], m[g + 1]),
  strides: pair(m[g + 2], m[g + 3]),
  padding: m[g + 4],
});
const pooling = (word: string, what: string): Form => ({
  syntax: `${word}<size>[x<width>][s<stride>[x<width>]][${PADDINGS.join('|')}]`,
  example: `${word}2`,
  meaning: `${what} over size×size windows (or size×width)`,
  pattern: new RegExp(`^${word}${WINDOW}$`),
  options: (m) => windowOptions(m, 1, 'poolSize'),
});

/** The token form of each layer kind. */
export const FORMS: { readonly [T in LayerType]: Form } = {
  conv2d: {
    syntax: `conv<filters>x<kernel>[x<width>][s<stride>[x<width>]][${PADDINGS.join('|')}]`,
    example: 'conv32x3',
    meaning: 'a convolution: that many filters of kernel×kernel (or kernel×width), then the hidden activation',
    pattern: new RegExp(`^conv${N}x${WINDOW}$`),
    options: (m, activation) => ({ filters: int(m[1]!), ...windowOptions(m, 2, 'kernelSize'), activation }),
  },
  maxPooling2d: pooling('pool', 'max pooling'),
  averagePooling2d: pooling('avgpool', 'average pooling'),
  flatten: {
    syntax: 'flatten',
    example: 'flatten',
    meaning: 'the image to a row (added before the first dense layer when left out)',
    pattern: /^flatten$/,
    options: () => ({}),
  },
  dense: {
    syntax: 'dense<units> or <units>',
    example: 'dense128',
    meaning: 'a fully connected layer of that many units, then the hidden activation',
    pattern: /^(?:dense)?([0-9]+)$/,
    options: (m, activation) => ({ units: int(m[1]!), activation }),
  },
  dropout: {
    syntax: 'dropout<rate>',
    example: 'dropout0.25',
    meaning: "drops that share of the dense layer before's outputs while training, rate in [0, 1)",
    // One way to match each text: no backtracking over long runs of digits.
    pattern: /^dropout([0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/,
    options: (m) => ({ rate: Number(m[1]!) }),
  },
};

const IMAGE_TYPES: readonly LayerType[] = ['conv2d', 'maxPooling2d', 'averagePooling2d', 'flatten'];

/** A longer token is refused before it is matched (the longest useful one, conv65536x65536x65536s65536x65536valid, has 39 characters). */
export const MAX_TOKEN_LENGTH = 64;

/** A spec of more tokens is refused: plain stacks that deep do not train, and a pasted mistake should not build a huge network. */
export const MAX_TOKENS = 128;

/** The --layers lines of the train help: each form, its meaning and the descriptor's defaults. */
export function layersHelp(indent: string): string {
  const defaults = (type: LayerType): string => {
    const d = LAYER_KINDS[type].defaults as Record<string, unknown>;
    const parts = [];
    if ('strides' in d) parts.push(`stride ${d.strides ?? 'the pool size'}`);
    if ('padding' in d) parts.push(`padding ${String(d.padding)}`);
    return parts.length ? `; default ${parts.join(', ')}` : '';
  };
  const example = (f: Form): string => (f.example === f.syntax ? '' : `, such as ${f.example}`);
  return LAYER_TYPES.map(
    (t) => `${indent}${FORMS[t].syntax}${example(FORMS[t])}\n${indent}  ${FORMS[t].meaning}${defaults(t)}`,
  ).join('\n');
}

export interface LayerSpec {
  /** The tokens as written (trimmed). */
  tokens: string[];
  /** One layer per token. */
  layers: RawLayer[];
}

/** --layers text -> one layer per token; an empty text is no hidden layer. Syntax only: shapes are checked by `networkLayers`. */
export function parseLayers(raw: string, activation: HiddenActivation): LayerSpec {
  if (raw.trim() === '') return { tokens: [], layers: [] };
  const tokens = raw.split(',').map((t) => t.trim());
  if (tokens.length > MAX_TOKENS)
    throw new CliError(`--layers lists ${tokens.length} layers; at most ${MAX_TOKENS} are taken`);
  const layers = tokens.map((token, i): RawLayer => {
    if (token === '')
      throw new CliError(
        `--layers: layer ${i + 1} is empty (two commas in a row, or one at an end?): write layers such as conv32x3,pool2,dense128`,
      );
    if (token.length > MAX_TOKEN_LENGTH)
      throw new CliError(
        `--layers: layer ${i + 1} ("${token.slice(0, 20)}…") is ${token.length} characters long; a layer takes at most ${MAX_TOKEN_LENGTH}, such as conv32x3`,
      );
    const lower = token.toLowerCase();
    for (const type of LAYER_TYPES) {
      const m = FORMS[type].pattern.exec(lower);
      if (!m) continue;
      const options = Object.fromEntries(
        Object.entries(FORMS[type].options(m, activation)).filter(([, v]) => v !== undefined),
      );
      return { type, ...options };
    }
    throw new CliError(
      `--layers: "${token}" (layer ${i + 1}) is not a layer; write one of: ${LAYER_TYPES.map((t) => FORMS[t].syntax).join('; ')} (run "backprop-wasm train --help")`,
    );
  });
  return { tokens, layers };
}

/** --input-shape h,w,c (or h,w: one channel) -> [h, w, c]. */
export function parseInputShape(raw: string): [number, number, number] {
  const parts = raw.split(',').map((p) => p.trim());
  const bad = parts.find((p) => !/^[0-9]+$/.test(p) || int(p) < 1);
  if (bad !== undefined || (parts.length !== 2 && parts.length !== 3)) {
    throw new CliError(
      `--input-shape must be height,width,channels (or height,width for one channel) as positive integers, such as 28,28,1; got "${raw}"${bad !== undefined ? ` ("${bad}" is not a positive integer)` : ''}`,
    );
  }
  const shape = [...parts.map(int), 1].slice(0, 3) as [number, number, number];
  const values = shape[0] * shape[1] * shape[2];
  if (!(values <= MAX_IMAGE_VALUES)) {
    throw new CliError(
      `--input-shape ${shape.join(',')} is ${Number.isSafeInteger(values) ? values.toLocaleString('en-US') : 'more than 2^53'} values per row, more than the ${MAX_IMAGE_VALUES.toLocaleString('en-US')} an image takes`,
    );
  }
  return shape;
}

export interface NetworkLayers {
  layers: RawLayer[];
  /** Each layer's name in the CLI's terms, for messages. */
  names: string[];
}

/**
 * The layers Network.create gets: the spec's, a flatten before the first layer that is not an image
 * layer when an image network has none, and the output layer; checked by the library against
 * `inputShape` (refusals name the token). `outputs` may be a placeholder before the target is known.
 */
export function networkLayers(
  spec: LayerSpec,
  inputShape: readonly number[] | null,
  output: { units: number; activation: ActivationName },
): NetworkLayers {
  const tokenName = (i: number): string => `--layers "${spec.tokens[i]}" (layer ${i + 1})`;
  if (!inputShape) {
    const i = spec.layers.findIndex((l) => IMAGE_TYPES.includes(l.type));
    if (i >= 0)
      throw new CliError(
        `${tokenName(i)} takes images: give --input-shape height,width,channels (each CSV row is then one image, channels-last)`,
      );
  }
  const firstFlat = spec.layers.findIndex((l) => !IMAGE_TYPES.includes(l.type));
  const late = firstFlat < 0 ? -1 : spec.layers.findIndex((l, i) => i > firstFlat && IMAGE_TYPES.includes(l.type));
  if (late >= 0)
    throw new CliError(
      `${tokenName(late)} comes after ${tokenName(firstFlat)}: image layers (conv, pool, avgpool, flatten) come first, then dense and dropout layers`,
    );
  const layers = [...spec.layers],
    names = spec.tokens.map((_, i) => tokenName(i));
  if (inputShape && !spec.layers.some((l) => l.type === 'flatten')) {
    let at = spec.layers.findIndex((l) => !IMAGE_TYPES.includes(l.type));
    if (at < 0) at = layers.length;
    layers.splice(at, 0, { type: 'flatten' });
    names.splice(
      at,
      0,
      `the flatten added ${at < spec.tokens.length ? `before ${tokenName(at)}` : 'after the last layer'}`,
    );
  }
  layers.push({ type: 'dense', ...output });
  names.push('the output layer (added from the target)');
  try {
    lowerLayers(inputShape ?? [1], layers);
  } catch (e) {
    throw new CliError(inCliTerms((e as Error).message, names));
  }
  return { layers, names };
}

/** A library message about `layers[i] (type)` and `inputShape`, in the CLI's terms. */
export function inCliTerms(message: string, names: readonly string[]): string {
  return message
    .replace(/layers\[(\d+)\] \(\w+\)/g, (all, i: string) => names[Number(i)] ?? all)
    .replace(/inputShape/g, '--input-shape');
}

/** The network in one line: "8×8×1 → conv8x3 → pool2 → flatten → dense32 → 10". */
export function describeLayers(inputShape: readonly number[], net: NetworkLayers, spec: LayerSpec): string {
  const written = new Map(spec.layers.map((l, i) => [l, spec.tokens[i]!]));
  return [
    inputShape.join('×'),
    ...net.layers.map((l) => written.get(l) ?? (l.type === 'flatten' ? 'flatten' : `${String(l.units)}`)),
  ].join(' → ');
}

/** True when the spec is the older form, hidden sizes only (its line in the output stays as it was). */
export const onlyDense = (spec: LayerSpec): boolean => spec.layers.every((l) => l.type === 'dense');
