"""Reference values and gradients of conv2d, max pooling and average pooling over channels-last
images, from PyTorch in float64 (autograd): the fixture test/fixtures/conv-torch.json that
test/conv-reference.test.ts compares this library's layers with, to 1e-9.

Each case holds an input x (n x h x w x c, channels-last, as this library's rows), the layer's
options, for conv2d the kernel W [kh][kw][inChannels][filters] and bias b (Keras' layout), an
upstream gradient dy, and the outputs y and the gradients dx (and dW, db) of sum(y * dy).

PyTorch works in NCHW: x and W are transposed in and y out. Keras' 'same' padding puts the odd
element after (bottom, right); PyTorch's padding argument is symmetric, so the padding is applied
with F.pad: zeros for conv2d, -inf for max pooling, and for average pooling zeros divided by the
count of real inputs under each window (TensorFlow excludes padding from the average).

Run: /usr/bin/python3 scripts/conv_reference.py
"""
import json
import math
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'conv-torch.json')


def pads(size, kernel, stride, padding):
    if padding == 'valid':
        return 0, 0
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def padded(x, k, s, padding, value):
    top, bottom = pads(x.shape[2], k[0], s[0], padding)
    left, right = pads(x.shape[3], k[1], s[1], padding)
    return F.pad(x, (left, right, top, bottom), value=value)


def conv(case, g):
    n, h, w, c = case['shape']
    kh, kw = case['kernelSize']
    s = case['strides']
    x = torch.randn(n, h, w, c, dtype=torch.float64, generator=g, requires_grad=True)
    W = (torch.randn(kh, kw, c, case['filters'], dtype=torch.float64, generator=g) * 0.5).requires_grad_()
    b = torch.randn(case['filters'], dtype=torch.float64, generator=g, requires_grad=True)
    xn = padded(x.permute(0, 3, 1, 2), (kh, kw), s, case['padding'], 0.0)
    y = F.conv2d(xn, W.permute(3, 2, 0, 1), b, stride=s).permute(0, 2, 3, 1)
    dy = torch.randn(y.shape, dtype=torch.float64, generator=g)
    (y * dy).sum().backward()
    return {**case, 'x': x, 'W': W, 'b': b, 'y': y, 'dy': dy, 'dx': x.grad, 'dW': W.grad, 'db': b.grad}


def pool(case, g):
    n, h, w, c = case['shape']
    k, s = case['poolSize'], case['strides']
    x = torch.randn(n, h, w, c, dtype=torch.float64, generator=g, requires_grad=True)
    xn = x.permute(0, 3, 1, 2)
    if case['type'] == 'maxPooling2d':
        y = F.max_pool2d(padded(xn, k, s, case['padding'], -math.inf), k, s)
    else:
        ones = torch.ones_like(xn)
        y = F.avg_pool2d(padded(xn, k, s, case['padding'], 0.0), k, s) / F.avg_pool2d(padded(ones, k, s, case['padding'], 0.0), k, s)
    y = y.permute(0, 2, 3, 1)
    dy = torch.randn(y.shape, dtype=torch.float64, generator=g)
    (y * dy).sum().backward()
    return {**case, 'x': x, 'y': y, 'dy': dy, 'dx': x.grad}


CONV = [
    # shape n,h,w,c; filters; kernel; strides; padding
    ([2, 5, 5, 1], 3, [3, 3], [1, 1], 'valid'),
    ([2, 5, 5, 1], 3, [3, 3], [1, 1], 'same'),
    ([1, 7, 6, 3], 5, [1, 1], [1, 1], 'valid'),
    ([2, 7, 6, 3], 5, [2, 2], [2, 2], 'same'),
    ([1, 9, 8, 5], 6, [5, 5], [1, 1], 'valid'),
    ([2, 8, 9, 5], 7, [5, 5], [2, 2], 'same'),
    ([1, 6, 7, 2], 4, [4, 4], [1, 1], 'same'),
    ([1, 11, 10, 3], 9, [3, 5], [2, 1], 'same'),
    ([2, 6, 6, 4], 8, [3, 3], [2, 2], 'valid'),
    ([1, 3, 3, 7], 3, [5, 5], [1, 1], 'same'),
    ([1, 4, 4, 3], 2, [2, 3], [3, 2], 'same'),
]
POOL = [
    ([2, 6, 6, 3], [2, 2], [2, 2], 'valid'),
    ([2, 7, 7, 3], [2, 2], [2, 2], 'same'),
    ([1, 7, 5, 5], [3, 3], [2, 2], 'valid'),
    ([1, 7, 5, 5], [3, 3], [2, 2], 'same'),
    ([1, 6, 6, 2], [3, 3], [1, 1], 'same'),
    ([2, 5, 8, 1], [2, 3], [1, 2], 'same'),
]


def main():
    g = torch.Generator().manual_seed(19)
    cases = [conv({'type': 'conv2d', 'shape': s, 'filters': f, 'kernelSize': k, 'strides': st, 'padding': p}, g) for s, f, k, st, p in CONV]
    for t in ('maxPooling2d', 'averagePooling2d'):
        cases += [pool({'type': t, 'shape': s, 'poolSize': k, 'strides': st, 'padding': p}, g) for s, k, st, p in POOL]
    flat = lambda v: v.detach().reshape(-1).tolist() if isinstance(v, torch.Tensor) else v
    with open(OUT, 'w') as f:
        json.dump({'cases': [{k: flat(v) for k, v in c.items()} for c in cases]}, f)
    print(f'{len(cases)} cases -> {OUT}')


if __name__ == '__main__':
    main()
