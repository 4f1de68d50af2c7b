"""Reference values for the seed article's run (docs/seed.md describes it).

The article's NumPy program, unchanged except for one thing: it thresholds z2 *in place* for
printing (z2[z2 > 0.5] = 1), which perturbs the next update. This script (like backprop-wasm)
reproduces the algorithm as the derivation states it, so z2 is copied before thresholding.

Writes test/fixtures/seed-numpy.json: the loss after update i for i % 100 == 0 (float64 and
float32 runs), the final weights and outputs. Run: python3 scripts/seed_reference.py
"""
import json
import sys

import numpy as np


def run(dtype, epochs=50001, lr=0.01):
    f = np.dtype(dtype).type

    def sigmoid(x):
        return f(1) / (f(1) + np.exp(f(-1) * x))

    def d_sigmoid(x):
        s = sigmoid(x)
        return s * (np.ones(s.shape, dtype=dtype) - s)

    def forward(W1, W2, b1, b2, X, y):
        y1 = np.matmul(X, W1) + b1
        z1 = sigmoid(y1)
        y2 = np.matmul(z1, W2) + b2
        z2 = sigmoid(y2)
        loss = np.sum(np.square(z2 - y) / f(2))
        return y1, z1, y2, z2, loss

    lr = f(lr)
    X = np.array([[0.6, 0.1], [0.3, 0.6]], dtype=dtype)
    y = np.array([0, 1], dtype=dtype)
    W1 = np.array([[0.4, 0.3, 0.6], [0.3, 0.4, 0.2]], dtype=dtype)
    b1 = np.array([0.4, 0.1, 0.2], dtype=dtype)
    W2 = np.array([[0.2, 0.3], [0.3, 0.4], [0.5, 0.3]], dtype=dtype)
    b2 = np.array([0.1, 0.2], dtype=dtype)
    y1, z1, y2, z2, loss = forward(W1, W2, b1, b2, X, y)
    initial = float(loss)
    losses = []
    outputs = []
    for i in range(epochs):
        ds2 = (z2 - y) * d_sigmoid(y2)
        dW2 = np.matmul(z1.T, ds2)
        db2 = np.sum(ds2, axis=0)
        dx = np.matmul(ds2, W2.T)
        ds1 = d_sigmoid(y1) * dx
        dW1 = np.matmul(X.T, ds1)
        db1 = np.sum(ds1, axis=0)
        W1 = W1 - lr * dW1
        b1 = b1 - lr * db1
        W2 = W2 - lr * dW2
        b2 = b2 - lr * db2
        y1, z1, y2, z2, loss = forward(W1, W2, b1, b2, X, y)
        if i % 100 == 0:
            losses.append(float(loss))
            outputs.append(z2.astype(np.float64).tolist())
    return {
        "initialLoss": initial,
        "lossAfterUpdate": losses,
        "outputsAfterUpdate": outputs,
        "final": {
            "W1": W1.astype(np.float64).tolist(), "b1": b1.astype(np.float64).tolist(),
            "W2": W2.astype(np.float64).tolist(), "b2": b2.astype(np.float64).tolist(),
        },
    }


if __name__ == "__main__":
    out = {
        "generator": "scripts/seed_reference.py",
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "epochs": 50001,
        "learningRate": 0.01,
        "every": 100,
        "float64": run(np.float64),
        "float32": run(np.float32),
    }
    with open("test/fixtures/seed-numpy.json", "w") as fh:
        json.dump(out, fh, indent=1)
    r = out["float64"]
    print("initial", repr(r["initialLoss"]), "after 0:", repr(r["lossAfterUpdate"][0]),
          "after 50000:", repr(r["lossAfterUpdate"][-1]), "f32 after 50000:", repr(out["float32"]["lossAfterUpdate"][-1]))
