// Decodes the part of onnx.proto the reader needs (ModelProto > GraphProto > NodeProto, AttributeProto,
// TensorProto, ValueInfoProto) into plain objects. Tensor data stays as views of the file until the
// graph's sizes have been checked. The nesting depth is fixed by this schema (subgraphs are never
// decoded) and every repeated field has a cap, except a tensor's float_data/double_data, which are
// kept as views of the file (packed) or hold one value per 5 or 9 bytes of it (unpacked): a file
// cannot make this recurse, or hold more than a few times its own size.
import { I32, I64, LEN, Reader, VARINT } from './wire.js';

export const FLOAT = 1,
  DOUBLE = 11;

/** Caps on repeated fields, far above what an MLP needs. */
export const LIMITS = {
  nodes: 10_000,
  initializers: 10_000,
  values: 10_000,
  nodeInputs: 64,
  attributes: 64,
  dims: 8,
  opsets: 64,
};

export interface TensorP {
  name: string;
  dataType: number;
  dims: number[];
  /** raw_data, if present (little-endian). */
  raw: Uint8Array | null;
  /** float_data / double_data: packed chunks (views) and unpacked values, with their total count. */
  packed: Uint8Array[];
  loose: number[];
  count: number;
  /** Which typed field held values: 4 (float_data), 10 (double_data) or 0 (none). */
  typed: number;
  /** Fields this reader refuses (external data, segments, other typed fields), by name. */
  unsupported: string[];
  /** int64_data (a shape or pads list): its first 16 values, and whether it held more. */
  int64: number[];
  int64More: boolean;
}

export interface AttributeP {
  name: string;
  f: number | null;
  i: number | null;
  /** ints (kernel_shape, pads, strides…), s (auto_pad, mode) and t (a Constant's value), when given. */
  ints: number[] | null;
  s: string | null;
  t: TensorP | null;
  other: boolean;
}

export interface NodeP {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: AttributeP[];
}

export interface ValueInfoP {
  name: string;
  elemType: number | null;
  /** Per dimension: a size, a symbolic name, or null when unstated; null when the shape is not given. */
  shape: (number | string | null)[] | null;
}

export interface GraphP {
  nodes: NodeP[];
  initializers: TensorP[];
  inputs: ValueInfoP[];
  outputs: ValueInfoP[];
  sparse: boolean;
}

export interface ModelP {
  irVersion: number;
  opsets: { domain: string; version: number }[];
  graph: GraphP | null;
}

function push<T>(r: Reader, list: T[], item: T, cap: number, name: string): void {
  if (list.length >= cap) r.fail(`more than ${cap} ${name}`);
  list.push(item);
}

/** Repeated int64: packed (LEN) or one per field (VARINT). */
function int64s(r: Reader, field: number, wire: number, out: number[], cap: number, name: string): void {
  if (wire === VARINT) {
    push(r, out, r.int64(), cap, name);
    return;
  }
  r.expect(field, wire, LEN, name);
  const p = r.message(name);
  while (!p.done) push(p, out, p.int64(), cap, name);
}

function tensor(r: Reader): TensorP {
  const t: TensorP = {
    name: '',
    dataType: 0,
    dims: [],
    raw: null,
    packed: [],
    loose: [],
    count: 0,
    typed: 0,
    unsupported: [],
    int64: [],
    int64More: false,
  };
  // Once per name: unpacked int32_data is one field per value, and a message must not list each.
  const refuse = (name: string): void => {
    if (!t.unsupported.includes(name)) t.unsupported.push(name);
  };
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1) int64s(r, field, wire, t.dims, LIMITS.dims, 'tensor dims');
    else if (field === 2) {
      r.expect(field, wire, VARINT, 'data_type');
      t.dataType = r.int64();
    } else if (field === 8) {
      r.expect(field, wire, LEN, 'tensor name');
      t.name = r.string();
    } else if (field === 9) {
      r.expect(field, wire, LEN, 'raw_data');
      t.raw = r.bytes();
    } else if (field === 4 || field === 10) {
      // float_data (fixed32) or double_data (fixed64): packed, or one value per field.
      const size = field === 4 ? 4 : 8;
      if (t.typed !== 0 && t.typed !== field) r.fail('a tensor holds both float_data and double_data');
      t.typed = field;
      if (wire === LEN) {
        const chunk = r.bytes();
        if (chunk.length % size)
          r.fail(`packed ${field === 4 ? 'float' : 'double'}_data of ${chunk.length} bytes is not whole values`);
        t.packed.push(chunk);
        t.count += chunk.length / size;
      } else {
        r.expect(field, wire, size === 4 ? I32 : I64, field === 4 ? 'float_data' : 'double_data');
        t.loose.push(size === 4 ? r.float32() : r.float64());
        t.count++;
      }
    } else if (field === 3) {
      refuse('segment');
      r.skip(wire);
    } else if (field === 13) {
      refuse('external_data');
      r.skip(wire);
    } else if (field === 14) {
      if (wire !== VARINT) {
        r.skip(wire);
        refuse('data_location EXTERNAL');
      } else if (r.int64() !== 0) refuse('data_location EXTERNAL');
    } else if (field === 7) {
      // int64_data: kept for a short int list, and refused as the data of a float tensor.
      refuse('int64_data');
      if (wire !== VARINT) r.expect(field, wire, LEN, 'int64_data');
      const p = wire === VARINT ? r : r.message('int64_data');
      const keep = (v: number): void => {
        if (t.int64.length < 16) t.int64.push(v);
        else t.int64More = true;
      };
      if (p === r) keep(r.int64());
      else while (!p.done) keep(p.int64());
    } else if (field === 5 || field === 6 || field === 11) {
      refuse(['', '', '', '', '', 'int32_data', 'string_data', 'int64_data', '', '', '', 'uint64_data'][field]!);
      r.skip(wire);
    } else r.skip(wire);
  }
  return t;
}

function attribute(r: Reader): AttributeP {
  const a: AttributeP = { name: '', f: null, i: null, ints: null, s: null, t: null, other: false };
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1) {
      r.expect(field, wire, LEN, 'attribute name');
      a.name = r.string();
    } else if (field === 20) {
      r.expect(field, wire, VARINT, 'attribute type');
      r.int64();
    } // implied by which of f, i is set
    else if (field === 2) {
      r.expect(field, wire, I32, 'attribute f');
      a.f = r.float32();
    } else if (field === 3) {
      r.expect(field, wire, VARINT, 'attribute i');
      a.i = r.int64();
    } else if (field === 8) {
      a.ints ??= [];
      int64s(r, field, wire, a.ints, LIMITS.dims, 'attribute ints');
    } else if (field === 4) {
      r.expect(field, wire, LEN, 'attribute s');
      a.s = r.string();
    } else if (field === 5) {
      r.expect(field, wire, LEN, 'attribute t');
      if (a.t) r.fail('an attribute holds two tensors');
      a.t = tensor(r.message('attribute tensor'));
    } else if (field === 13)
      r.skip(wire); // doc_string
    else {
      a.other = true;
      r.skip(wire);
    } // lists of floats, strings or tensors, graphs…: never valid on the ops read here
  }
  return a;
}

function node(r: Reader): NodeP {
  const n: NodeP = { name: '', opType: '', domain: '', inputs: [], outputs: [], attributes: [] };
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1 || field === 2) {
      r.expect(field, wire, LEN, field === 1 ? 'node input' : 'node output');
      push(r, field === 1 ? n.inputs : n.outputs, r.string(), LIMITS.nodeInputs, 'node inputs or outputs');
    } else if (field === 3) {
      r.expect(field, wire, LEN, 'node name');
      n.name = r.string();
    } else if (field === 4) {
      r.expect(field, wire, LEN, 'op_type');
      n.opType = r.string();
    } else if (field === 7) {
      r.expect(field, wire, LEN, 'node domain');
      n.domain = r.string();
    } else if (field === 5) {
      r.expect(field, wire, LEN, 'attribute');
      push(r, n.attributes, attribute(r.message('attribute')), LIMITS.attributes, 'attributes');
    } else r.skip(wire);
  }
  return n;
}

function valueInfo(r: Reader): ValueInfoP {
  const v: ValueInfoP = { name: '', elemType: null, shape: null };
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1) {
      r.expect(field, wire, LEN, 'value name');
      v.name = r.string();
      continue;
    }
    if (field !== 2) {
      r.skip(wire);
      continue;
    }
    r.expect(field, wire, LEN, 'value type');
    const type = r.message('type');
    while (!type.done) {
      const f = type.tag();
      if (f.field !== 1) {
        type.skip(f.wire);
        continue;
      } // only tensor_type is read; others leave elemType null
      type.expect(f.field, f.wire, LEN, 'tensor_type');
      const tt = type.message('tensor_type');
      while (!tt.done) {
        const g = tt.tag();
        if (g.field === 1) {
          tt.expect(g.field, g.wire, VARINT, 'elem_type');
          v.elemType = tt.int64();
        } else if (g.field === 2) {
          tt.expect(g.field, g.wire, LEN, 'shape');
          const shape = tt.message('shape');
          v.shape = [];
          while (!shape.done) {
            const s = shape.tag();
            if (s.field !== 1) {
              shape.skip(s.wire);
              continue;
            }
            shape.expect(s.field, s.wire, LEN, 'dim');
            const dim = shape.message('dim');
            let d: number | string | null = null;
            while (!dim.done) {
              const e = dim.tag();
              if (e.field === 1) {
                dim.expect(e.field, e.wire, VARINT, 'dim_value');
                d = dim.int64();
              } else if (e.field === 2) {
                dim.expect(e.field, e.wire, LEN, 'dim_param');
                d = dim.string();
              } else dim.skip(e.wire);
            }
            push(shape, v.shape, d, LIMITS.dims, 'dimensions');
          }
        } else tt.skip(g.wire);
      }
    }
  }
  return v;
}

function graph(r: Reader): GraphP {
  const g: GraphP = { nodes: [], initializers: [], inputs: [], outputs: [], sparse: false };
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1) {
      r.expect(field, wire, LEN, 'node');
      push(r, g.nodes, node(r.message('node')), LIMITS.nodes, 'nodes');
    } else if (field === 5) {
      r.expect(field, wire, LEN, 'initializer');
      push(r, g.initializers, tensor(r.message('initializer')), LIMITS.initializers, 'initializers');
    } else if (field === 11 || field === 12) {
      r.expect(field, wire, LEN, 'graph input or output');
      push(
        r,
        field === 11 ? g.inputs : g.outputs,
        valueInfo(r.message('value info')),
        LIMITS.values,
        'graph inputs or outputs',
      );
    } else if (field === 15) {
      g.sparse = true;
      r.skip(wire);
    } else r.skip(wire);
  }
  return g;
}

/** Decodes a ModelProto; structural problems throw ModelFormatError. */
export function decodeModelProto(bytes: Uint8Array): ModelP {
  const r = new Reader(bytes, 'ONNX model');
  const m: ModelP = { irVersion: 0, opsets: [], graph: null };
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1) {
      r.expect(field, wire, VARINT, 'ir_version');
      m.irVersion = r.int64();
    } else if (field === 7) {
      r.expect(field, wire, LEN, 'graph');
      if (m.graph) r.fail('two graphs');
      m.graph = graph(r.message('ONNX graph'));
    } else if (field === 8) {
      r.expect(field, wire, LEN, 'opset_import');
      const o = r.message('opset_import'),
        op = { domain: '', version: 0 };
      while (!o.done) {
        const t = o.tag();
        if (t.field === 1) {
          o.expect(t.field, t.wire, LEN, 'opset domain');
          op.domain = o.string();
        } else if (t.field === 2) {
          o.expect(t.field, t.wire, VARINT, 'opset version');
          op.version = o.int64();
        } else o.skip(t.wire);
      }
      push(r, m.opsets, op, LIMITS.opsets, 'opset imports');
    } else r.skip(wire);
  }
  return m;
}
