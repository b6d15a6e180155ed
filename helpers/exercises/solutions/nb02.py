"""02_plain_mlp: reference solutions."""
import math

import numpy as np
import torch


def psnr_from_mse(mse):
    """PSNR in dB of colours in [0, 1] (peak 1): 10 log10(1 / MSE)."""
    return -10 * math.log10(mse)


def noise_sigma(psnr_db):
    """The noise's standard deviation that gives ``psnr_db``: MSE = sigma^2 = 10^(-PSNR/10)."""
    return 10 ** (-psnr_db / 20)


def halving_step(steps, errors, threshold=0.5):
    """The first step whose relative error is below ``threshold`` (inf if none)."""
    below = np.asarray(errors) < threshold
    return steps[int(np.argmax(below))] if below.any() else math.inf


def toy_halving_step(frequency=3, lr=1e-4, steps=1000):
    """02's 1-D toy, trained as in the notebook but at learning rate ``lr``: the step at
    which the wave of ``frequency`` periods first halves its error."""
    t = torch.arange(256) / 256
    freqs = [1, 3, 6, 12]
    phases = torch.rand(len(freqs), generator=torch.Generator().manual_seed(0)) * 2 * math.pi
    signal = sum(torch.sin(2 * math.pi * f * t + p) for f, p in zip(freqs, phases)) / 2
    x, y = (2 * t - 1)[:, None], signal[:, None]
    torch.manual_seed(0)
    nn = torch.nn
    model = nn.Sequential(nn.Linear(1, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                          nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 1))
    spectrum = torch.fft.rfft(signal).abs()
    steps_seen, errors = [], []

    def evaluate(step):
        error = torch.fft.rfft(model(x)[:, 0] - signal).abs()
        steps_seen.append(step)
        errors.append(float(error[frequency] / spectrum[frequency]))
        return {}

    from helpers.loop import optimize
    optimize(model, lambda step: torch.mean((model(x) - y) ** 2), steps, lr=lr,
             evaluate=evaluate, eval_every=10, progress=False)
    return halving_step(steps_seen[1:], errors[1:])
