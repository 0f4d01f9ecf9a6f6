#!/usr/bin/env python3
"""The PyTorch peer for genkata's DCGAN (issue 5): the same players, initialisation, losses and
optimizer as `genkata train dcgan`, to compare the pictures and D(x), D(G(z)) step for step, and
the time of a training step.

  G: z [N,100] -Linear(no bias)-> [N,128,7,7] -BN, ReLU-> convT 128->64 (4, s2, p1, no bias)
     -BN, ReLU-> convT 64->1 (4, s2, p1) -> tanh
  D: conv 1->64 (4, s2, p1), LeakyReLU 0.2 -> conv 64->128 (no bias), BN, LeakyReLU 0.2
     -> flatten -> Linear -> 1 logit
  init: conv weights N(0, 0.02), BatchNorm weights N(1, 0.02), biases 0; Linear PyTorch's default
  loss: BCE with logits, one-sided smoothing on the real target; G non-saturating
  Adam lr 2e-4, betas (0.5, 0.999); data scaled to [-1, 1]

Needs Debian's python3-torch (1.13) and dataset-fashion-mnist:
    /usr/bin/python3 scripts/peers/pytorch_dcgan.py --steps 600 --limit 12800 --out runs/peers/pytorch-dcgan.png
"""
import argparse, os, struct, time, zlib

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

from pytorch_vae import read_idx  # the same IDX reader as the VAE peer (this folder is on sys.path)


def find(data_dir, stem):
    for name in (stem, stem + '.gz'):
        path = os.path.join(data_dir, name)
        if os.path.exists(path):
            return path
    raise SystemExit(f'{stem} not found in {data_dir}')


def write_png(path, gray):
    """A grayscale uint8 image [h, w] as a PNG, with zlib only."""
    h, w = gray.shape
    raw = b''.join(b'\x00' + gray[y].tobytes() for y in range(h))
    chunk = lambda kind, data: struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xFFFFFFFF)
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))


def grid(images, cols, pad=2):
    n, h, w = images.shape
    rows = (n + cols - 1) // cols
    out = np.full((pad + rows * (h + pad), pad + cols * (w + pad)), 255, np.uint8)
    for i, img in enumerate(images):
        r, c = divmod(i, cols)
        out[pad + r * (h + pad):pad + r * (h + pad) + h, pad + c * (w + pad):pad + c * (w + pad) + w] = img
    return out


class G(nn.Module):
    def __init__(self, noise=100, width=64):
        super().__init__()
        self.width = width
        self.project = nn.Linear(noise, 2 * width * 49, bias=False)
        self.bn0 = nn.BatchNorm2d(2 * width)
        self.deconv1 = nn.ConvTranspose2d(2 * width, width, 4, 2, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.deconv2 = nn.ConvTranspose2d(width, 1, 4, 2, 1)

    def forward(self, z):
        h = F.relu(self.bn0(self.project(z).view(-1, 2 * self.width, 7, 7)))
        return torch.tanh(self.deconv2(F.relu(self.bn1(self.deconv1(h)))))


class D(nn.Module):
    def __init__(self, width=64):
        super().__init__()
        self.conv1 = nn.Conv2d(1, width, 4, 2, 1)
        self.conv2 = nn.Conv2d(width, 2 * width, 4, 2, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(2 * width)
        self.to_logit = nn.Linear(2 * width * 49, 1)

    def forward(self, x):
        h = F.leaky_relu(self.conv1(x), 0.2)
        h = F.leaky_relu(self.bn2(self.conv2(h)), 0.2)
        return self.to_logit(h.flatten(1)).view(-1)


def dcgan_init(m):
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(m.weight, 0, 0.02)
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.normal_(m.weight, 1, 0.02)
        nn.init.zeros_(m.bias)


def train_step(g, d, opt_g, opt_d, real, smoothing=0.0):
    """One D step on real and G(z).detach(), then one G step on the same fakes (non-saturating loss).
    Returns both losses and the logits D gave the reals, the fakes before its step, and after."""
    fake = g(torch.randn(len(real), 100))
    opt_d.zero_grad()
    real_logits, fake_logits = d(real), d(fake.detach())
    loss_d = F.binary_cross_entropy_with_logits(real_logits, torch.full_like(real_logits, 1 - smoothing)) + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    after = d(fake)
    loss_g = F.binary_cross_entropy_with_logits(after, torch.ones_like(after))
    loss_g.backward()
    opt_g.step()
    return loss_d, loss_g, real_logits, fake_logits, after


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--data-dir', default='/usr/share/datasets/fashion-mnist')
    p.add_argument('--limit', type=int, default=60000)
    p.add_argument('--steps', type=int, default=600)
    p.add_argument('--batch', type=int, default=64)
    p.add_argument('--lr', type=float, default=2e-4)
    p.add_argument('--smoothing', type=float, default=0.0)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--out', default='runs/peers/pytorch-dcgan.png')
    a = p.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    x = torch.from_numpy(read_idx(find(a.data_dir, 'train-images-idx3-ubyte'))[:a.limit].astype(np.float32) / 127.5 - 1).unsqueeze(1)
    g, d = G(), D()
    g.apply(dcgan_init)
    d.apply(dcgan_init)
    opt_g = torch.optim.Adam(g.parameters(), lr=a.lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=a.lr, betas=(0.5, 0.999))
    fixed = torch.randn(64, 100)
    step, began, sums = 0, time.perf_counter(), np.zeros(4)
    while step < a.steps:
        for idx in torch.randperm(len(x)).split(a.batch):
            if step >= a.steps:
                break
            loss_d, loss_g, real_logits, fake_logits, _ = train_step(g, d, opt_g, opt_d, x[idx], a.smoothing)
            step += 1
            sums += [loss_d.item(), loss_g.item(), torch.sigmoid(real_logits).mean().item(), torch.sigmoid(fake_logits).mean().item()]
            if step % 100 == 0:
                m = sums / 100
                print(f'step {step}: D loss {m[0]:.4f}, G loss {m[1]:.4f}, D(x) {m[2]:.3f}, D(G(z)) {m[3]:.3f}, {(time.perf_counter() - began) / step * 1000:.0f} ms/step', flush=True)
                sums[:] = 0
    g.eval()
    with torch.no_grad():
        images = ((g(fixed).squeeze(1).numpy() + 1) * 127.5).clip(0, 255).astype(np.uint8)
    os.makedirs(os.path.dirname(a.out) or '.', exist_ok=True)
    write_png(a.out, grid(np.kron(images, np.ones((1, 2, 2), np.uint8)), 8))
    print(f'samples in {a.out}')


if __name__ == '__main__':
    main()
