// Reads an ONNX model's metadata_props (ModelProto field 14, StringStringEntryProto { key = 1,
// value = 2 }) without decoding the graph: a flat walk over the top-level fields with the bounded
// protobuf reader, every other field skipped.
import { ValidationError } from '../../index.js';
import { CLASS_NAMES_KEY, parseClassNames } from '../export-options.js';
import { LEN, Reader } from './wire.js';

/** More metadata entries than this is not a model this library reads. */
const MAX_ENTRIES = 10_000;
const WHAT = 'ONNX model';

export interface ONNXMetadata {
  /** Every metadata_props entry, key to value (a key given twice: the last value). */
  props: Record<string, string>;
  /** The class names toONNX stored (the 'classNames' entry), or null when the file has none. */
  classNames: string[] | null;
}

/** The metadata of an ONNX file: its key-value entries and the class names, if any. */
export function readONNXMetadata(bytes: Uint8Array | ArrayBuffer): ONNXMetadata {
  const data = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
  if (!(data instanceof Uint8Array))
    throw new ValidationError('readONNXMetadata: expected the model as a Uint8Array or ArrayBuffer');
  const r = new Reader(data, WHAT);
  const props: Record<string, string> = Object.create(null) as Record<string, string>;
  let count = 0;
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field !== 14) {
      r.skip(wire);
      continue;
    }
    r.expect(field, wire, LEN, 'metadata_props');
    if (++count > MAX_ENTRIES) r.fail(`more than ${MAX_ENTRIES} metadata entries`);
    const e = r.message('metadata entry');
    let key = '',
      value = '';
    while (!e.done) {
      const t = e.tag();
      if (t.field === 1) {
        e.expect(t.field, t.wire, LEN, 'metadata key');
        key = e.string();
      } else if (t.field === 2) {
        e.expect(t.field, t.wire, LEN, 'metadata value');
        value = e.string();
      } else e.skip(t.wire);
    }
    props[key] = value;
  }
  const names = props[CLASS_NAMES_KEY];
  return { props: { ...props }, classNames: names === undefined ? null : parseClassNames(names, WHAT) };
}
