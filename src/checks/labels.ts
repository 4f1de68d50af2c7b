// Class-index labels: y as one integer class per row (number[] or an integer typed array), for a
// softmax output. They are checked and expanded to one-hot rows of the network's dtype, which then
// go where one-hot rows would: training with either is the same computation. Float32Array and
// Float64Array y are always flat rows, never class indices.
import { ResourceError, ValidationError } from '../errors.js';
import { formatBytes } from '../util/format-bytes.js';
import type { ClassLabels, ActivationName, Targets } from '../types.js';
import { allocFloat, bytesPer, type DType, type FloatArray } from '../util/float-array.js';

/** The typed arrays that hold class indices (integers; no float arrays: those are flat rows). */
const LABEL_ARRAYS = [Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array] as const;

const isLabelTypedArray = (y: unknown): boolean => ArrayBuffer.isView(y) && LABEL_ARRAYS.some((T) => y instanceof T);

/**
 * Whether y is meant as class indices: an integer typed array, or a non-empty array in which some
 * entry is a number and none is a row (an array or typed array). Anything else is read as rows.
 */
export function isClassLabels(y: unknown): y is ClassLabels {
  if (isLabelTypedArray(y)) return true;
  if (!Array.isArray(y) || y.length === 0) return false;
  let number = false;
  // Indexed, not some(): some() skips the holes of sparse arrays.
  for (let i = 0; i < y.length; i++) {
    const v: unknown = y[i];
    if (Array.isArray(v) || ArrayBuffer.isView(v)) return false;
    if (typeof v === 'number') number = true;
  }
  return number;
}

function describeLabel(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || typeof v !== 'object') return String(v);
  return Array.isArray(v) ? 'an array' : 'an object';
}

/**
 * y as rows: class indices become one-hot rows of `dtype` (classes = the output width); rows are
 * returned as they are. Class indices for an output other than softmax, or an index outside
 * [0, classes), throw a ValidationError naming the row. `what` prefixes messages ("fit y").
 */
export function expandLabels(
  y: Targets,
  classes: number,
  output: ActivationName,
  dtype: DType,
  what: string,
  expectedRows: number,
  limit: number,
): Exclude<Targets, ClassLabels> | FloatArray {
  if (!isClassLabels(y)) return y as Exclude<Targets, ClassLabels>;
  if (output !== 'softmax') {
    throw new ValidationError(
      `${what}: a flat list of numbers is read as class indices, which need a softmax output (this network's output is ${output}); ` +
        `pass one array per row, e.g. [[0], [1], …] for ${classes === 1 ? 'one output' : `${classes} outputs`}, or a Float32Array/Float64Array of rows x ${classes}`,
    );
  }
  const rows = y.length;
  if (rows === 0) throw new ValidationError(`${what}: empty (no rows)`);
  // Counted and sized before the one-hot rows are made: a mismatch or an oversized expansion allocates nothing.
  if (rows !== expectedRows) throw new ValidationError(`${what}: x has ${expectedRows} rows but y has ${rows} labels`);
  const bytes = rows * classes * bytesPer(dtype);
  if (bytes > limit) {
    throw new ResourceError(
      `${what}: ${rows.toLocaleString('en-US')} labels of ${classes.toLocaleString('en-US')} classes make ${formatBytes(bytes)} of one-hot rows, ` +
        `more than the limit of ${formatBytes(limit)}`,
      bytes,
      limit,
    );
  }
  const out = allocFloat(dtype, rows * classes);
  for (let r = 0; r < rows; r++) {
    const v: unknown = y[r];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < classes) {
      out[r * classes + v] = 1;
      continue;
    }
    const range = `a class index in [0, ${classes})`;
    if (v === undefined)
      throw new ValidationError(
        `${what}: the label at row ${r} is missing (a hole or undefined); each row needs ${range}`,
      );
    throw new ValidationError(
      `${what}: label ${describeLabel(v)} at row ${r} is not ${range}` +
        (typeof v === 'number'
          ? Number.isInteger(v)
            ? ''
            : ' (class indices are whole numbers)'
          : ` (got ${v === null ? 'null' : `a ${typeof v}`})`),
    );
  }
  return out;
}
