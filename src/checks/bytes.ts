// Buffers that were transferred: structuredClone(buf, { transfer: [buf] }) or postMessage with a
// transfer list detaches an ArrayBuffer, and every view of it then reads as empty (or throws V8's
// TypeError on construction). Entries that take bytes or typed arrays say so instead.
import { ValidationError } from '../errors.js';

/** Whether `b` was detached. Allocates nothing unless `b` is empty and the engine lacks ArrayBuffer.prototype.detached. */
export function isDetached(b: ArrayBufferLike): boolean {
  if (!(b instanceof ArrayBuffer) || b.byteLength !== 0) return false; // a SharedArrayBuffer cannot be detached
  const flag = (b as { detached?: unknown }).detached;
  if (typeof flag === 'boolean') return flag;
  try {
    new Uint8Array(b, 0, 0); // Node 20 has no .detached: a view of a detached buffer cannot be made
    return false;
  } catch {
    return true;
  }
}

/** A ValidationError when `value` is a detached ArrayBuffer or a view of one; anything else passes. */
export function checkAttached(value: unknown, what: string): void {
  const buffer = value instanceof ArrayBuffer ? value : ArrayBuffer.isView(value) ? value.buffer : null;
  if (buffer !== null && isDetached(buffer)) {
    throw new ValidationError(
      `${what}: the ArrayBuffer${value === buffer ? '' : ' under this view'} is detached: it was transferred ` +
        '(structuredClone or postMessage with a transfer list) and holds no bytes any more; pass a copy (buffer.slice(0)) or the bytes before transferring them',
    );
  }
}
