// Every operation family, for code that iterates all of them (load-time code check, tests, bench).
import { ACTIVATIONS } from './activations.js';
import { LOSSES } from './losses.js';
import { OPTIMIZERS } from './optimizers.js';

/** Each operation's name, code, and the name of the constant global assembly/codes.ts exports for it. */
export const ALL_OPS: readonly {
  family: 'activation' | 'loss' | 'optimizer';
  name: string;
  code: number;
  abi: string;
}[] = [
  ...ACTIVATIONS.map((o) => ({ family: 'activation' as const, name: o.name, code: o.code, abi: o.abi })),
  ...LOSSES.map((o) => ({ family: 'loss' as const, name: o.name, code: o.code, abi: o.abi })),
  ...OPTIMIZERS.map((o) => ({ family: 'optimizer' as const, name: o.name, code: o.code, abi: o.abi })),
];
