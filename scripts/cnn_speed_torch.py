# C1 (conv 32 3x3 relu, max-pool 2, conv 64 3x3 relu, max-pool 2, flatten, dense 128 relu, dense 10
# softmax) trained by PyTorch on one thread, float32, Adam lr 1e-3, batch 32: prints samples/s of
# one epoch after a warm-up epoch. Reads rows x 784 float32 pixels and rows uint8 labels from stdin
# (written by scripts/cnn_speed.mjs, the same MNIST rows the backends train on). With a second
# argument T (the last T of the rows held out) and a third S (the seed): trains 5 shuffled epochs on
# the others and prints the held-out accuracy instead.
import sys, time
import numpy as np
import torch

torch.set_num_threads(1)
rows = int(sys.argv[1])
raw = sys.stdin.buffer.read()
x = torch.from_numpy(np.frombuffer(raw[: rows * 784 * 4], dtype=np.float32).copy()).reshape(rows, 1, 28, 28)
y = torch.from_numpy(np.frombuffer(raw[rows * 784 * 4 :], dtype=np.uint8).astype(np.int64))
torch.manual_seed(1)
net = torch.nn.Sequential(
    torch.nn.Conv2d(1, 32, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
    torch.nn.Conv2d(32, 64, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
    torch.nn.Flatten(), torch.nn.Linear(1600, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
loss_fn = torch.nn.CrossEntropyLoss()

def epoch():
    for s in range(0, rows, 32):
        opt.zero_grad()
        loss = loss_fn(net(x[s:s + 32]), y[s:s + 32])
        loss.backward()
        opt.step()

if len(sys.argv) > 2:
    held, seed = int(sys.argv[2]), int(sys.argv[3])
    torch.manual_seed(seed)
    for m in net:
        if hasattr(m, 'reset_parameters'): m.reset_parameters()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    xt, yt, xh, yh = x[:rows - held], y[:rows - held], x[rows - held:], y[rows - held:]
    for e in range(5):
        perm = torch.randperm(rows - held)
        for s in range(0, rows - held, 32):
            i = perm[s:s + 32]
            opt.zero_grad()
            loss_fn(net(xt[i]), yt[i]).backward()
            opt.step()
    with torch.no_grad():
        print((net(xh).argmax(1) == yh).float().mean().item())
else:
    epoch()
    t = time.perf_counter()
    epoch()
    print(rows / (time.perf_counter() - t))
