#!/usr/bin/env python3
"""PyTorch's rate (samples/s) for the convolutional training step of tools/bench/conv-training.ts:
conv2d 1→16 (3×3, padding 1), ReLU, max-pool 2, conv2d 16→32, ReLU, max-pool 2, flatten, linear
1568→10, cross-entropy, Adam, float32, batches of 64, on random data. Prints one number.
Usage: python3 torch-conv.py STEPS THREADS [cpu]  (cpu: rates by the process's CPU time, all threads)"""
import sys
import time

import torch
from torch import nn

steps, threads = int(sys.argv[1]), int(sys.argv[2])
clock = time.process_time if sys.argv[3:] == ["cpu"] else time.perf_counter
torch.set_num_threads(threads)
torch.manual_seed(0)
model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1568, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
x = torch.rand(64, 1, 28, 28)
y = torch.randint(0, 10, (64,))


def step():
    optimizer.zero_grad()
    nn.functional.cross_entropy(model(x), y).backward()
    optimizer.step()


for _ in range(3):
    step()
rates = []
for _ in range(5):
    start = clock()
    for _ in range(steps):
        step()
    rates.append(steps * 64 / (clock() - start))
print(sorted(rates)[len(rates) // 2])
