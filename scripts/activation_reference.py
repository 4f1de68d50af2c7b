"""Reference values of GELU (exact), swish (SiLU), ELU (alpha 1) and softplus, and of their
derivatives, from PyTorch in float64 (torch.nn.functional and autograd): the fixture
test/fixtures/activations-torch.json that test/activation-reference.test.ts compares both backends
with, to 1e-9.

PyTorch's softplus returns x above its threshold (20); this library computes log(1 + e^x) exactly,
so the reference is taken with the threshold out of reach (1e4) on inputs |x| <= 30.

Run: /usr/bin/python3 scripts/activation_reference.py
"""
import json
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'activations-torch.json')

FUNCTIONS = {
    'gelu': lambda x: F.gelu(x, approximate='none'),
    'swish': F.silu,
    'elu': lambda x: F.elu(x, alpha=1.0),
    'softplus': lambda x: F.softplus(x, beta=1.0, threshold=1e4),
}


def main():
    torch.manual_seed(18)
    grid = torch.linspace(-30, 30, 241, dtype=torch.float64)
    near_zero = torch.tensor([-1e-8, -1e-4, -0.01, 0.0, 0.01, 1e-4, 1e-8], dtype=torch.float64)
    random = torch.randn(64, dtype=torch.float64) * 3
    x = torch.cat([grid, near_zero, random])
    out = {'torch': torch.__version__, 'x': x.tolist(), 'activations': {}}
    for name, f in FUNCTIONS.items():
        z = x.clone().requires_grad_(True)
        y = f(z)
        (grad,) = torch.autograd.grad(y.sum(), z)
        out['activations'][name] = {'f': y.detach().tolist(), 'df': grad.tolist()}
    with open(OUT, 'w') as fh:
        json.dump(out, fh)
    print('wrote', OUT, len(x), 'points')


if __name__ == '__main__':
    main()
