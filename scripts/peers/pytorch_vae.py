#!/usr/bin/env python3
"""The PyTorch peer for genkata's VAE quality target (issue 3).

Trains the FC VAE 784-400-20 and the ConvVAE (conv 1->32, 32->64, 4x4 stride 2 pad 1, ReLU,
linear to mu/logvar with latent 32, mirrored with ConvTranspose2d, sigmoid output) on the full
Fashion-MNIST, batch 128, Adam 1e-3, and prints the test loss per image after each epoch:
BCE summed over the 784 pixels + the closed-form KL, with z drawn by the reparameterization as in
PyTorch's VAE example. genkata's `train` reports the same figure.

Needs Debian's python3-torch (1.13) and dataset-fashion-mnist:
    apt-get install python3-torch dataset-fashion-mnist
    /usr/bin/python3 scripts/peers/pytorch_vae.py --model fc --epochs 10 --out runs/peers/pytorch-fc.json
"""
import argparse, gzip, json, os, struct, time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F


def read_idx(path):
    with (gzip.open if path.endswith('.gz') else open)(path, 'rb') as f:
        data = f.read()
    magic, = struct.unpack('>I', data[:4])
    ndim = magic & 0xFF
    dims = struct.unpack('>' + 'I' * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(split, data_dir):
    prefix = 'train' if split == 'train' else 't10k'
    find = lambda stem: next(os.path.join(data_dir, f) for f in os.listdir(data_dir) if f.startswith(stem))
    images = read_idx(find(f'{prefix}-images-idx3-ubyte'))
    return torch.from_numpy(images.astype(np.float32) / 255.0).reshape(-1, 1, 28, 28)


class FcVae(nn.Module):
    def __init__(self, hidden=400, latent=20):
        super().__init__()
        self.fc1, self.mu, self.logvar = nn.Linear(784, hidden), nn.Linear(hidden, latent), nn.Linear(hidden, latent)
        self.fc3, self.fc4 = nn.Linear(latent, hidden), nn.Linear(hidden, 784)

    def forward(self, x):
        h = F.relu(self.fc1(x.reshape(-1, 784)))
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return torch.sigmoid(self.fc4(F.relu(self.fc3(z)))).reshape(-1, 1, 28, 28), mu, logvar


class ConvVae(nn.Module):
    def __init__(self, latent=32):
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(1, 32, 4, 2, 1), nn.Conv2d(32, 64, 4, 2, 1)
        self.mu, self.logvar = nn.Linear(64 * 7 * 7, latent), nn.Linear(64 * 7 * 7, latent)
        self.fc = nn.Linear(latent, 64 * 7 * 7)
        self.deconv1, self.deconv2 = nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ConvTranspose2d(32, 1, 4, 2, 1)

    def forward(self, x):
        h = F.relu(self.conv2(F.relu(self.conv1(x)))).flatten(1)
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        h = F.relu(self.fc(z)).reshape(-1, 64, 7, 7)
        return torch.sigmoid(self.deconv2(F.relu(self.deconv1(h)))), mu, logvar


def loss_sum(recon, x, mu, logvar):
    bce = F.binary_cross_entropy(recon, x, reduction='sum')
    kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce, kl


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--model', choices=['fc', 'conv'], default='fc')
    p.add_argument('--epochs', type=int, default=10)
    p.add_argument('--batch', type=int, default=128)
    p.add_argument('--lr', type=float, default=1e-3)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--data-dir', default='/usr/share/datasets/fashion-mnist')
    p.add_argument('--out', default=None)
    a = p.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    train, test = load('train', a.data_dir), load('test', a.data_dir)
    model = FcVae() if a.model == 'fc' else ConvVae()
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    history = []
    for epoch in range(1, a.epochs + 1):
        began = time.time()
        model.train()
        total = 0.0
        for batch in torch.randperm(len(train)).split(a.batch):
            x = train[batch]
            recon, mu, logvar = model(x)
            bce, kl = loss_sum(recon, x, mu, logvar)
            loss = (bce + kl) / len(x)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(x)
        seconds = time.time() - began
        model.eval()
        with torch.no_grad():
            bce_sum = kl_sum = 0.0
            for x in test.split(1000):
                recon, mu, logvar = model(x)
                bce, kl = loss_sum(recon, x, mu, logvar)
                bce_sum, kl_sum = bce_sum + bce.item(), kl_sum + kl.item()
        record = dict(epoch=epoch, train_loss=total / len(train), test_loss=(bce_sum + kl_sum) / len(test),
                      test_bce=bce_sum / len(test), test_kl=kl_sum / len(test), seconds=seconds)
        history.append(record)
        print(json.dumps(record), flush=True)
    if a.out:
        os.makedirs(os.path.dirname(a.out) or '.', exist_ok=True)
        with open(a.out, 'w') as f:
            json.dump(dict(peer=f'pytorch {torch.__version__}', args=vars(a), history=history), f, indent=2)


if __name__ == '__main__':
    main()
