"""Reference values for the training toolkit: weight decay and learning-rate schedules.

An independent NumPy implementation (written from the formulas, as PyTorch defines them) of a
3-4-2 network (tanh hidden, sigmoid output, loss ½Σ(o−d)² averaged over the batch) trained by:
  - sgd, momentum and adam with coupled weight decay (g ← g + λW for weight matrices, biases exempt);
  - adamw: decoupled decay, W ← W·(1 − lr·λ) before the Adam step, biases exempt;
  - sgd with a per-epoch exponential schedule lr_e = 0.5 · 0.9^e.
Minibatches of 3 rows in order (no shuffling), 12 epochs, float64. Each case records the loss of
every epoch (accumulated over its batches, each before its update) and the final weights.

Writes test/fixtures/toolkit-numpy.json. Run: python3 scripts/toolkit_reference.py
"""
import json
import sys

import numpy as np

X = np.array([[0.2, -0.4, 0.9], [0.7, 0.1, -0.3], [-0.5, 0.8, 0.4], [0.3, 0.3, 0.3], [-0.9, -0.2, 0.6], [0.05, 0.6, -0.7]])
Y = np.array([[1, 0], [0, 1], [1, 1], [0, 0], [1, 0], [0, 1]], dtype=float)
W1 = np.array([[0.1, -0.2, 0.3, 0.05], [-0.15, 0.25, 0.1, -0.3], [0.2, 0.1, -0.25, 0.15]])
b1 = np.array([0.01, -0.02, 0.03, 0.0])
W2 = np.array([[0.3, -0.1], [0.2, 0.25], [-0.3, 0.15], [0.1, -0.2]])
b2 = np.array([0.05, -0.05])
EPOCHS, BATCH = 12, 3


def gradients(params, x, y):
    W1, b1, W2, b2 = params
    a1 = np.tanh(x @ W1 + b1)
    a2 = 1 / (1 + np.exp(-(a1 @ W2 + b2)))
    n = x.shape[0]
    loss = np.sum(np.square(a2 - y) / 2) / n
    d2 = (a2 - y) * a2 * (1 - a2) / n
    d1 = (d2 @ W2.T) * (1 - a1 * a1)
    return loss * n, [x.T @ d1, d1.sum(axis=0), a1.T @ d2, d2.sum(axis=0)]


def train(name, lr, decay=0.0, schedule=None, beta1=0.9, beta2=0.999, eps=1e-8, mu=0.9):
    params = [W1.copy(), b1.copy(), W2.copy(), b2.copy()]
    state1 = [np.zeros_like(p) for p in params]
    state2 = [np.zeros_like(p) for p in params]
    t = 0
    losses = []
    for epoch in range(EPOCHS):
        rate = schedule(epoch) if schedule else lr
        total = 0.0
        for start in range(0, len(X), BATCH):
            loss, grads = gradients(params, X[start:start + BATCH], Y[start:start + BATCH])
            total += loss
            t += 1
            for i, (p, g) in enumerate(zip(params, grads)):
                is_weight = i % 2 == 0
                lam = decay if is_weight else 0.0
                if name == 'adamw':
                    p_base = p * (1 - rate * lam) if lam else p
                    g_used = g
                else:
                    p_base = p
                    g_used = g + lam * p if lam else g
                if name == 'sgd':
                    params[i] = p_base - rate * g_used
                elif name == 'momentum':
                    state1[i] = mu * state1[i] + g_used
                    params[i] = p_base - rate * state1[i]
                else:
                    state1[i] = beta1 * state1[i] + (1 - beta1) * g_used
                    state2[i] = beta2 * state2[i] + (1 - beta2) * g_used * g_used
                    c1, c2 = 1 - beta1 ** t, 1 - beta2 ** t
                    params[i] = p_base - rate * (state1[i] / c1) / (np.sqrt(state2[i] / c2) + eps)
        losses.append(total / len(X))
    return {'losses': losses, 'weights': [p.tolist() for p in params]}


cases = {
    'sgd weightDecay 0.1': ({'name': 'sgd', 'weightDecay': 0.1}, 0.5, train('sgd', 0.5, decay=0.1)),
    'momentum weightDecay 0.05': ({'name': 'momentum', 'weightDecay': 0.05}, 0.1, train('momentum', 0.1, decay=0.05)),
    'adam weightDecay 0.02': ({'name': 'adam', 'weightDecay': 0.02}, 0.01, train('adam', 0.01, decay=0.02)),
    'adamw weightDecay 0.1': ({'name': 'adamw', 'weightDecay': 0.1}, 0.01, train('adamw', 0.01, decay=0.1)),
    'adamw default decay': ('adamw', 0.01, train('adamw', 0.01, decay=0.01)),
    'sgd exponential schedule': ('sgd', {'exponential': [0.5, 0.9]}, train('sgd', None, schedule=lambda e: 0.5 * 0.9 ** e)),
}
out = {
    'x': X.tolist(), 'y': Y.tolist(), 'epochs': EPOCHS, 'batchSize': BATCH,
    'weights': [{'W': W1.tolist(), 'b': b1.tolist()}, {'W': W2.tolist(), 'b': b2.tolist()}],
    'cases': [{'title': k, 'optimizer': o, 'learningRate': lr, **r} for k, (o, lr, r) in cases.items()],
}
path = sys.argv[1] if len(sys.argv) > 1 else 'test/fixtures/toolkit-numpy.json'
with open(path, 'w') as f:
    json.dump(out, f, indent=1)
print('wrote', path)
