// The one owner of the module's linear memory: 16-byte-aligned regions above the module's static
// data, a first-fit free list with coalescing, growth on demand, and typed-array views that are
// rebuilt when growth has detached them. All arithmetic is on plain numbers (never `| 0` or `&`),
// so offsets and sizes stay exact up to the full 4 GiB of 32-bit memory.
import { formatBytes } from '../../util/format-bytes.js';
import { ResourceError } from '../../errors.js';
import type { DType, FloatArray } from '../../util/float-array.js';

const PAGE = 65536;
/** 32-bit WebAssembly memory: 65,536 pages of 64 KiB. */
export const MAX_MEMORY_BYTES = 65536 * PAGE;
const align16 = (n: number): number => Math.ceil(n / 16) * 16;

export class Arena {
  private readonly freeList: { ptr: number; size: number }[] = [];
  private readonly used = new Map<number, number>();
  private top: number;
  private inUse = 0;
  /** Times linear memory grew, and times a view had to be rebuilt because of it. */
  readonly stats = { grows: 0, viewRebuilds: 0 };

  constructor(
    readonly memory: WebAssembly.Memory,
    base: number,
  ) {
    this.top = align16(base);
  }

  /** Bytes currently allocated. */
  get bytesInUse(): number {
    return this.inUse;
  }

  /** A zeroed region of at least `bytes` bytes; returns its byte offset. Throws ResourceError when memory cannot hold it. */
  alloc(bytes: number): number {
    if (!(Number.isSafeInteger(bytes) && bytes >= 0))
      throw new RangeError(`backprop-wasm: cannot allocate ${bytes} bytes`);
    const size = align16(Math.max(bytes, 16));
    let ptr: number;
    const i = this.freeList.findIndex((b) => b.size >= size);
    if (i >= 0) {
      const block = this.freeList[i]!;
      ptr = block.ptr;
      if (block.size === size) this.freeList.splice(i, 1);
      else {
        block.ptr += size;
        block.size -= size;
      }
    } else {
      ptr = this.top;
      this.ensure(ptr + size, bytes);
      this.top = ptr + size;
    }
    new Uint8Array(this.memory.buffer, ptr, size).fill(0);
    this.used.set(ptr, size);
    this.inUse += size;
    return ptr;
  }

  /** Regions of each size, all or none: if one cannot be had, those already taken are freed and the error propagates. */
  allocAll(sizes: readonly number[]): number[] {
    const taken: number[] = [];
    try {
      for (const bytes of sizes) taken.push(this.alloc(bytes));
    } catch (e) {
      for (const p of taken) this.free(p);
      throw e;
    }
    return taken;
  }

  /** Bytes of the region at ptr (as allocated, rounded to 16). */
  sizeOf(ptr: number): number {
    const size = this.used.get(ptr);
    if (size === undefined) throw new Error(`backprop-wasm: ${ptr} is not an allocated region`);
    return size;
  }

  free(ptr: number): void {
    const size = this.used.get(ptr);
    if (size === undefined) throw new Error(`backprop-wasm: free of ${ptr}, which is not allocated`);
    this.used.delete(ptr);
    this.inUse -= size;
    let i = this.freeList.findIndex((b) => b.ptr > ptr);
    if (i < 0) i = this.freeList.length;
    this.freeList.splice(i, 0, { ptr, size });
    const next = this.freeList[i + 1];
    if (next && ptr + size === next.ptr) {
      this.freeList[i]!.size += next.size;
      this.freeList.splice(i + 1, 1);
    }
    const prev = this.freeList[i - 1];
    if (prev && prev.ptr + prev.size === ptr) {
      prev.size += this.freeList[i]!.size;
      this.freeList.splice(i, 1);
      i--;
    }
    const last = this.freeList[this.freeList.length - 1];
    if (last && last.ptr + last.size === this.top) {
      this.top = last.ptr;
      this.freeList.pop();
    }
  }

  private ensure(end: number, asked: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const fail = (): never => {
      throw new ResourceError(
        `backprop-wasm: cannot allocate ${formatBytes(asked)}: WebAssembly memory would need ` +
          `${formatBytes(end)}, and it holds ${formatBytes(have)} of at most ${formatBytes(MAX_MEMORY_BYTES)} ` +
          `(${formatBytes(this.inUse)} in use). Dispose networks you no longer need, or train on fewer rows at a time.`,
        asked,
        MAX_MEMORY_BYTES - this.inUse,
      );
    };
    if (end > MAX_MEMORY_BYTES) fail();
    const pages = Math.ceil((end - have) / PAGE);
    const generous = Math.min(Math.max(pages, Math.ceil(have / PAGE / 4)), MAX_MEMORY_BYTES / PAGE - have / PAGE);
    try {
      this.memory.grow(generous);
    } catch {
      try {
        this.memory.grow(pages);
      } catch {
        fail();
      }
    }
    this.stats.grows++;
  }

  /** A view of `length` elements at ptr; valid until memory grows (see ArenaView). */
  floats(dtype: DType, ptr: number, length: number): FloatArray {
    return dtype === 'float32'
      ? new Float32Array(this.memory.buffer, ptr, length)
      : new Float64Array(this.memory.buffer, ptr, length);
  }
}

/** A view that survives memory growth: get() rebuilds it only when its buffer was detached. */
export class ArenaView {
  private view: FloatArray;

  constructor(
    private readonly arena: Arena,
    private readonly dtype: DType,
    readonly ptr: number,
    readonly length: number,
  ) {
    this.view = arena.floats(dtype, ptr, length);
  }

  get(): FloatArray {
    if (this.view.buffer !== this.arena.memory.buffer) {
      this.view = this.arena.floats(this.dtype, this.ptr, this.length);
      this.arena.stats.viewRebuilds++;
    }
    return this.view;
  }
}
