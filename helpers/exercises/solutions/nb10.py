"""10_beyond_images: reference solutions."""
import functools

import torch


def snr(prediction, target):
    """Signal-to-noise ratio in dB: the target's power over the error's, 10 log10(Σ a² / Σ (â − a)²)."""
    signal = (target.double() ** 2).sum()
    error = ((prediction.double() - target.double()) ** 2).sum()
    return float(10 * torch.log10(signal / error))


def eikonal(fn, points):
    """How far ``fn`` is from a distance at ``points`` (N, 3): mean | |∇f| − 1 |, ∇f by autograd."""
    points = points.detach().requires_grad_(True)       # we want d f / d points
    values = fn(points)
    grad, = torch.autograd.grad(values.sum(), points)   # (N, 3): each row is ∇f at a point
    return (grad.norm(dim=-1) - 1).abs().mean()


@functools.lru_cache(maxsize=None)
def notes_fit(c):
    """The notes' validation clip and SIREN's prediction of every sample, at c times the rule's
    ω0, trained as the notebook's sweep trains it (this budget's rate, width and steps)."""
    from helpers import audio, bandwidth, settings, sound_fit
    nb = settings.NOTEBOOK_10
    clip = audio.load_sound("validation", nb["audio_seconds"], nb["audio_rate"], audio.SOUND)
    omega_rule = bandwidth.frequency_scale("siren", bandwidth.samples_per_unit(len(clip) // 2))
    fit = sound_fit.fit_audio("siren", c * omega_rule, clip, nb["audio_hidden"],
                              nb["audio_steps"], settings.DEVICE)
    return clip, fit.full


def notes_snr_at(c):
    """SIREN at c times the rule's ω0 on the notes' validation clip: the SNR (dB) of the
    odd samples, the ones it never trained on."""
    from helpers import audio
    clip, full = notes_fit(c)
    return audio.snr(full[1::2], clip[1::2])


def snr_at_c3():
    """In the notebook: fit = sound_fit.fit_audio("siren", 3 * omega_rule,
    clips["notes"]["validation"], HIDDEN_A, STEPS_A, DEVICE), then
    audio.snr(fit.full[1::2], clips["notes"]["validation"][1::2])."""
    return notes_snr_at(3.0)
