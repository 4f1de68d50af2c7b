"""Convolutional networks exported by PyTorch's torch.onnx.export, for test/interchange/onnx-cnn-import.test.ts.

Small seeded CNNs (C1-like: conv 3x3 relu, maxpool 2, conv, avgpool, flatten, linear relu, linear
softmax; stride 2 with padding 1, a 5x5 kernel with padding 2, a 1x1 kernel, channel counts that are
not multiples of 4, odd spatial sizes, a conv without bias, float64; LeNet as the PyTorch tutorial
writes it, with x.view(-1, C*H*W)), each exported at several
opsets, with the outputs of the PyTorch model on fixed channels-first inputs. torch 1.13 writes
opsets up to 17; the opset-21 files are the opset-17 export with the opset import raised to 21 (and
ir_version 10), which is valid because none of these operators changed between 17 and 21
(onnx 1.12 here cannot check opset 21: the test runs them in onnxruntime-node).
Also the PyTorch exports fromONNX must refuse: padding that is neither Keras' 'valid' nor 'same',
an AvgPool2d that counts its padding, a grouped and a dilated Conv, ceil_mode, and a flatten
written as x.view(x.size(0), -1).

Run with Debian's python3 (torch 1.13 CPU, onnx 1.12):
    /usr/bin/python3 scripts/onnx_cnn_fixtures.py
Writes test/fixtures/onnx-cnn/*.onnx and expected.json (per network: the channels-first inputs x,
PyTorch's outputs y, the opsets written), about 90 KB in all.
"""
import io
import json
import os

import numpy as np
import onnx
import torch
from torch import nn

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'onnx-cnn')
ROWS = 3


class Flat(nn.Module):
    """x.view(x.size(0), -1): exported as Shape, Gather, Unsqueeze, Concat, Reshape."""

    def forward(self, x):
        return x.view(x.size(0), -1)


def c1():
    """3x14x14 -> conv 3x3 (5) relu -> maxpool 2 -> conv 3x3 (6) tanh -> avgpool 2 -> 24 -> 10 relu -> 3 softmax."""
    return (3, 14, 14), nn.Sequential(
        nn.Conv2d(3, 5, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(5, 6, 3), nn.Tanh(), nn.AvgPool2d(2),
        nn.Flatten(), nn.Linear(24, 10), nn.ReLU(), nn.Linear(10, 3), nn.Softmax(dim=-1))


def strided():
    """2x9x11 (odd sizes) -> conv 3x3 stride 2 padding 1 (3, 'same') relu -> conv 1x1 (7, no bias) sigmoid
    -> avgpool 3 stride 1 padding 1 (count_include_pad=False) -> conv 5x5 padding 2 (5) leaky relu
    -> maxpool 2 -> 20 -> 4 (linear output)."""
    return (2, 9, 11), nn.Sequential(
        nn.Conv2d(2, 3, 3, stride=2, padding=1), nn.ReLU(), nn.Conv2d(3, 7, 1, bias=False), nn.Sigmoid(),
        nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False), nn.Conv2d(7, 5, 5, padding=2), nn.LeakyReLU(),
        nn.MaxPool2d(2), nn.Flatten(), nn.Linear(5 * 2 * 3, 4))


def rect():
    """1x6x11 -> conv 2x3 stride (1, 2) (6) elu -> maxpool 3 stride 2 padding 1 ('same') -> 3x3x6 -> 2 softmax."""
    return (1, 6, 11), nn.Sequential(
        nn.Conv2d(1, 6, (2, 3), stride=(1, 2)), nn.ELU(), nn.MaxPool2d(3, stride=2, padding=1),
        nn.Flatten(), nn.Linear(6 * 3 * 3, 2), nn.Softmax(dim=1))


class LeNet(nn.Module):
    """The PyTorch tutorial's style: functional relu and pooling, x.view(-1, C*H*W) (a Reshape) before the linear layers."""

    def __init__(self):
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(3, 6, 5), nn.Conv2d(6, 16, 3)
        self.fc1, self.fc2 = nn.Linear(16 * 2 * 2, 12), nn.Linear(12, 5)

    def forward(self, x):
        x = torch.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = torch.max_pool2d(torch.relu(self.conv2(x)), 2)
        x = x.view(-1, 16 * 2 * 2)
        return self.fc2(torch.relu(self.fc1(x)))


def lenet():
    """3x16x16 -> conv 5x5 (6) relu -> maxpool 2 -> conv 3x3 (16) relu -> maxpool 2 -> view(-1, 64) -> 12 relu -> 5."""
    return (3, 16, 16), LeNet()


REFUSED = {
    # padding 1 with a 5x5 kernel: 'same' pads 2.
    'refused_conv_pads': lambda: ((2, 8, 8), nn.Sequential(nn.Conv2d(2, 3, 5, padding=1), nn.Flatten(), nn.Linear(108, 2))),
    # AvgPool2d(padding=1) counts its padding (count_include_pad=True): a Pad of ones before the AveragePool.
    'refused_avgpool_counts_pad': lambda: ((2, 6, 6), nn.Sequential(nn.AvgPool2d(2, padding=1), nn.Flatten(), nn.Linear(32, 2))),
    'refused_conv_group': lambda: ((4, 6, 6), nn.Sequential(nn.Conv2d(4, 4, 3, groups=2), nn.Flatten(), nn.Linear(64, 2))),
    'refused_conv_dilation': lambda: ((2, 7, 7), nn.Sequential(nn.Conv2d(2, 3, 3, dilation=2), nn.Flatten(), nn.Linear(27, 2))),
    'refused_maxpool_ceil': lambda: ((2, 7, 7), nn.Sequential(nn.MaxPool2d(2, ceil_mode=True), nn.Flatten(), nn.Linear(32, 2))),
    'refused_view_flatten': lambda: ((2, 4, 4), nn.Sequential(nn.Conv2d(2, 3, 3), Flat(), nn.Linear(12, 2))),
}


def export(model, shape, opset, dtype):
    x = torch.zeros((1,) + shape, dtype=dtype)
    f = io.BytesIO()
    torch.onnx.export(model, x, f, opset_version=opset, input_names=['input'], output_names=['output'],
                      dynamic_axes={'input': {0: 'batch'}, 'output': {0: 'batch'}})
    return onnx.load_from_string(f.getvalue())


def save(name, model, check=True):
    if check:
        onnx.checker.check_model(model)
    with open(os.path.join(OUT, name + '.onnx'), 'wb') as f:
        f.write(model.SerializeToString())


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {}
    cases = [('c1', c1, torch.float32, (11, 13, 17, 21)), ('strided', strided, torch.float32, (11, 17, 21)),
             ('rect', rect, torch.float32, (13,)), ('strided_double', strided, torch.float64, (17,)),
             ('lenet', lenet, torch.float32, (13,))]
    for seed, (name, build, dtype, opsets) in enumerate(cases):
        torch.manual_seed(seed + 1)
        shape, model = build()
        model = model.to(dtype).eval()
        rng = np.random.default_rng(seed + 7)
        # Multiples of 1/64 in [-2, 2): exact in float32 and short in JSON.
        x = torch.tensor(rng.integers(-128, 128, size=(ROWS,) + shape) / 64, dtype=dtype)
        with torch.no_grad():
            y = model(x)
        expected[name] = {'shape': list(shape), 'dtype': 'float64' if dtype == torch.float64 else 'float32',
                          'opsets': list(opsets), 'x': x.flatten().tolist(), 'y': y.flatten().tolist()}
        for opset in opsets:
            m = export(model, shape, min(opset, 17), dtype)
            if opset > 17:
                m.opset_import[0].version = opset
                m.ir_version = 10
            file = f'{name}_opset{opset}'
            save(file, m, check=opset <= 17)
    for i, (name, build) in enumerate(REFUSED.items()):
        torch.manual_seed(100 + i)
        shape, model = build()
        save(name, export(model.eval(), shape, 13, torch.float32))
    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump(expected, f)
        f.write('\n')


if __name__ == '__main__':
    main()
