// erfc in float64 for GELU's normal CDF: the same computation as src/util/erfc.ts (fdlibm's s_erf.c
// algorithm and coefficients, error below 1 ulp; keep the two in step):
//   Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved. Developed at SunPro, a Sun
//   Microsystems, Inc. business. Permission to use, copy, modify, and distribute this software is
//   freely granted, provided that this notice is preserved.

const ERX: f64 = 8.45062911510467529297e-1;

@inline function pp(z: f64): f64 { return 1.28379167095512558561e-1 + z * (-3.25042107247001499370e-1 + z * (-2.84817495755985104766e-2 + z * (-5.77027029648944159157e-3 + z * -2.37630166566501626084e-5))); }
@inline function qq(z: f64): f64 { return 1 + z * (3.97917223959155352819e-1 + z * (6.50222499887672944485e-2 + z * (5.08130628187576562776e-3 + z * (1.32494738004321644526e-4 + z * -3.96022827877536812320e-6)))); }
@inline function pa(s: f64): f64 { return -2.36211856075265944077e-3 + s * (4.14856118683748331666e-1 + s * (-3.72207876035701323847e-1 + s * (3.18346619901161753674e-1 + s * (-1.10894694282396677476e-1 + s * (3.54783043256182359371e-2 + s * -2.16637559486879084300e-3))))); }
@inline function qa(s: f64): f64 { return 1 + s * (1.06420880400844228286e-1 + s * (5.40397917702171048937e-1 + s * (7.18286544141962662868e-2 + s * (1.26171219808761642112e-1 + s * (1.36370839120290507362e-2 + s * 1.19844998467991074170e-2))))); }
@inline function ra(s: f64): f64 { return -9.86494403484714822705e-3 + s * (-6.93858572707181764372e-1 + s * (-1.05586262253232909814e1 + s * (-6.23753324503260060396e1 + s * (-1.62396669462573470355e2 + s * (-1.84605092906711035994e2 + s * (-8.12874355063065934246e1 + s * -9.81432934416914548592)))))); }
@inline function sa(s: f64): f64 { return 1 + s * (1.96512716674392571292e1 + s * (1.37657754143519042600e2 + s * (4.34565877475229228821e2 + s * (6.45387271733267880336e2 + s * (4.29008140027567833386e2 + s * (1.08635005541779435134e2 + s * (6.57024977031928170135 + s * -6.04244152148580987438e-2))))))); }
@inline function rb(s: f64): f64 { return -9.86494292470009928597e-3 + s * (-7.99283237680523006574e-1 + s * (-1.77579549177547519889e1 + s * (-1.60636384855821916062e2 + s * (-6.37566443368389627722e2 + s * (-1.02509513161107724954e3 + s * -4.83519191608651397019e2))))); }
@inline function sb(s: f64): f64 { return 1 + s * (3.03380607434824582924e1 + s * (3.25792512996573918826e2 + s * (1.53672958608443695994e3 + s * (3.19985821950859553908e3 + s * (2.55305040643316442583e3 + s * (4.74528541206955367215e2 + s * -2.24409524465858183362e1)))))); }

/** erfc(x) = 1 − erf(x). */
export function erfc(x: f64): f64 {
  if (isNaN(x)) return x;
  const ax = Math.abs(x), neg = x < 0;
  if (ax < 0.84375) {
    if (ax < 1.3877787807814457e-17) return 1 - x; // 2^-56
    const z = x * x, y = pp(z) / qq(z);
    return ax < 0.25 ? 1 - (x + x * y) : 0.5 - (x * y + (x - 0.5));
  }
  if (ax < 1.25) {
    const s = ax - 1, r = pa(s) / qa(s);
    return neg ? 1 + ERX + r : 1 - ERX - r;
  }
  if (ax >= 28 || (neg && ax > 6)) return neg ? 2 : 0;
  const s = 1 / (ax * ax);
  const rs = ax < 1 / 0.35 ? ra(s) / sa(s) : rb(s) / sb(s);
  const z = reinterpret<f64>(reinterpret<u64>(ax) & 0xffffffff00000000);
  const r = Math.exp(-z * z - 0.5625) * Math.exp((z - ax) * (z + ax) + rs) / ax;
  return neg ? 2 - r : r;
}
