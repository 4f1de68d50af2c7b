import '../dist/src/index.node.js';
import { getBackend } from '../dist/src/backends/index.js';
const one = await getBackend('wasm', 'float32', 1), two = await getBackend('wasm', 'float32', 2);
function run(b, form, m, n, k, epi) {
  const A = b.alloc(m * k), B = b.alloc(k * n), C = b.alloc(m * n), bias = b.alloc(Math.max(n, m*n));
  A.view().forEach((_, i, v) => { v[i] = Math.sin(i * 0.37); }); B.view().forEach((_, i, v) => { v[i] = Math.cos(i * 0.11); });
  bias.view().forEach((_, i, v) => { v[i] = Math.sin(i * 0.05) * 0.5 + 0.5; });
  const lda = form === 'tn' ? m : k, ldb = form === 'nt' ? k : n;
  if (epi === 'fwd') b.kernels.gemmBiasActivation(m, n, k, A, k, B, n, C, n, bias, 'tanh');
  else if (epi === 'bwd') b.kernels.gemmActivationBackward(m, n, k, A, k, B, k, C, n, bias, 'sigmoid');
  else b.kernels.gemm(form, m, n, k, A, lda, B, ldb, C, n, false);
  return Array.from(C.view());
}
for (const [form, m, n, k, epi] of [['nn', 128, 256, 100], ['tn', 100, 256, 128], ['nt', 128, 100, 256], ['nn', 130, 64, 70], ['nn', 128, 256, 100, 'fwd'], ['nt', 128, 100, 256, 'bwd'], ['nn', 64, 128, 784], ['tn', 784, 128, 64]]) {
  const a = run(one, form, m, n, k, epi), b = run(two, form, m, n, k, epi);
  let bad = -1; for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) { bad = i; break; }
  console.log(form, m, n, k, epi ?? '', bad < 0 ? 'same' : `differs at ${bad} (row ${Math.floor(bad / n)}): ${a[bad]} vs ${b[bad]}`);
}
process.exit(0);
