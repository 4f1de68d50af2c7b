// Errors across the worker boundary. Structured clone keeps only a plain Error, so the worker sends
// the name, message, fields and stack, and the calling side rebuilds the same class: instanceof
// ValidationError (DivergenceError with epoch and batch, AbortError with lastEpoch, ResourceError with
// requested and available, ...) works there.
import {
  AbortError,
  DisposedError,
  DivergenceError,
  ModelFormatError,
  ResourceError,
  ValidationError,
} from '../errors.js';

/** An error as it crosses the boundary (plain data). */
export interface WireError {
  name: string;
  message: string;
  stack?: string;
  epoch?: number;
  batch?: number;
  lastEpoch?: number | null;
  requested?: number;
  available?: number;
}

export function toWire(e: unknown): WireError {
  if (!(e instanceof Error))
    return { name: 'Error', message: `the training worker threw a non-Error value: ${String(e)}` };
  const wire: WireError = { name: e.name, message: e.message };
  if (typeof e.stack === 'string') wire.stack = e.stack;
  if (e instanceof DivergenceError) Object.assign(wire, { epoch: e.epoch, batch: e.batch });
  if (e instanceof AbortError) wire.lastEpoch = e.lastEpoch;
  if (e instanceof ResourceError) Object.assign(wire, { requested: e.requested, available: e.available });
  return wire;
}

const BUILT_IN: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

function rebuild(w: WireError): Error {
  switch (w.name) {
    case 'ValidationError':
      return new ValidationError(w.message);
    case 'ResourceError':
      return new ResourceError(w.message, w.requested ?? -1, w.available ?? -1);
    case 'ModelFormatError':
      return new ModelFormatError(w.message);
    case 'DisposedError':
      return new DisposedError(w.message);
    case 'DivergenceError':
      return new DivergenceError(w.message, w.epoch ?? -1, w.batch ?? -1);
    case 'AbortError':
      return new AbortError(w.message, w.lastEpoch ?? null);
    default: {
      const e = new (BUILT_IN[w.name] ?? Error)(w.message);
      if (e.name !== w.name) e.name = w.name; // e.g. a DataCloneError or a RuntimeError keeps its name
      return e;
    }
  }
}

/** The error of the same class and fields; its stack is the worker's, where it was thrown. */
export function fromWire(w: WireError): Error {
  const e = rebuild(w);
  if (w.stack) e.stack = w.stack;
  return e;
}
