#!/usr/bin/env python3
"""PyTorch's side of `npm run bench:peers` (scripts/bench_peers.ts): times the training of one
workload with the same models, batch, optimizer and data order as genkata's side, and prints one
JSON line: {"seconds": ..., "steps": ..., "images": ..., "torch": ..., "threads": ...}.

  fc     FC VAE 784-400-20 (pytorch_vae.FcVae), Adam 1e-3, batch 128, one epoch by default
  conv   ConvVAE latent 32 (pytorch_vae.ConvVae), Adam 1e-3, batch 128, one epoch by default
  dcgan  DCGAN (pytorch_dcgan.G and D), Adam 2e-4 betas (0.5, 0.999), batch 64, --steps steps

Only the training loop is timed (data loading and model building are not). The thread settings
come from the caller: --threads for torch.set_num_threads, and OPENBLAS_NUM_THREADS /
OMP_NUM_THREADS in the environment.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/peers/bench_peers.py --workload fc \\
        --images /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz --threads 2
"""
import argparse, json, sys, time

try:
    import numpy as np
    import torch
except ImportError as error:  # the caller turns this exit code into "PyTorch is not installed"
    print(f'bench_peers.py: {error}', file=sys.stderr)
    sys.exit(3)

from pytorch_vae import ConvVae, FcVae, loss_sum, read_idx
from pytorch_dcgan import D, G, dcgan_init, train_step


def vae(model, x, batch, steps):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    order = torch.randperm(len(x)).split(batch)
    steps = min(steps, len(order)) if steps else len(order)
    began = time.perf_counter()
    images = 0
    for idx in order[:steps]:
        xb = x[idx]
        recon, mu, logvar = model(xb)
        bce, kl = loss_sum(recon, xb, mu, logvar)
        loss = (bce + kl) / len(xb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        loss.item()  # genkata reads the loss every step too
        images += len(xb)
    return time.perf_counter() - began, steps, images


def dcgan(x, batch, steps):
    g, d = G(), D()
    g.apply(dcgan_init)
    d.apply(dcgan_init)
    opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    x = x * 2 - 1
    began = time.perf_counter()
    done = images = 0
    while done < steps:
        for idx in torch.randperm(len(x)).split(batch):
            if done >= steps:
                break
            loss_d, loss_g, real_logits, fake_logits, after = train_step(g, d, opt_g, opt_d, x[idx])
            # genkata's step reads the same figures: both losses and the three mean probabilities.
            [loss_d.item(), loss_g.item(), torch.sigmoid(real_logits).mean().item(), torch.sigmoid(fake_logits).mean().item(), torch.sigmoid(after).mean().item()]
            done += 1
            images += len(idx)
    return time.perf_counter() - began, done, images


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--workload', choices=['fc', 'conv', 'dcgan'], required=True)
    p.add_argument('--images', required=True, help='the training images, an IDX file (gzipped or not)')
    p.add_argument('--batch', type=int, required=True)
    p.add_argument('--steps', type=int, default=0, help='steps to time; 0: one epoch (the VAEs)')
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--seed', type=int, default=1)
    a = p.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    x = torch.from_numpy(read_idx(a.images).astype(np.float32) / 255.0).reshape(-1, 1, 28, 28)
    if a.workload == 'dcgan':
        if a.steps <= 0:
            raise SystemExit('bench_peers.py: --steps must be positive for the dcgan')
        seconds, steps, images = dcgan(x, a.batch, a.steps)
    else:
        seconds, steps, images = vae(FcVae() if a.workload == 'fc' else ConvVae(), x, a.batch, a.steps)
    print(json.dumps(dict(seconds=seconds, steps=steps, images=images, torch=torch.__version__, threads=torch.get_num_threads())), flush=True)


if __name__ == '__main__':
    main()
