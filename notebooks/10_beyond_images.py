# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 10 · Beyond images: sound, video and a 3-D shape with the same networks
#
# **What you will learn**
# 1. That a coordinate network fits any signal on coordinates: sound (t → amplitude), video ((x, y, t) → rgb) and a 3-D shape ((x, y, z) → signed distance).
# 2. Why SIREN's ω0 (and Fourier features' σ) must change with the signal: the right value scales with the samples per unit of input, 30 for a 256-pixel image axis, hundreds to thousands for sound.
# 3. How each task is judged honestly: held-out samples, frames or points, and the classical answer (band-limited interpolation, frame blending) beside the networks.
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/coordinate-mlps-live/coordinate-mlps-live/blob/main/notebooks/10_beyond_images.ipynb)

# %%
# Set-up: on Google Colab, fetch the series and install its helpers (about 30 s);
# anywhere else this cell does nothing.
import sys

if "google.colab" in sys.modules:
    import os
    import subprocess
    REPO_URL = "https://github.com/coordinate-mlps-live/coordinate-mlps-live"
    REPO_DIR = os.path.expanduser("~/coordinate-mlps-live")
    if not os.path.isdir(REPO_DIR):
        subprocess.run(["git", "clone", "-q", "--depth", "1", REPO_URL, REPO_DIR], check=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-e", REPO_DIR], check=True)
    sys.path.insert(0, REPO_DIR)

# %%
import math
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import torch
from IPython.display import Audio, display

import helpers
from helpers import analysis, audio, clip, plots, render3d, sdf, settings
from helpers import widgets as panels
from helpers.encoders import max_useful_n_freqs
from helpers.loop import optimize
from helpers.video import show_video

NB = settings.NOTEBOOK_10  # this notebook's sample counts, widths and steps
print(settings.describe(NB))
DEVICE = settings.DEVICE
print(NB)

# %% [markdown]
# Every training below is the series' one loop, `helpers.loop.optimize(model, loss_fn,
# steps, lr)`: only the loss changes with the signal. A small wrapper times it and keeps
# the model on the budget's device.

# %%
def train(model, loss_fn, steps, lr):
    """Adam on ``loss_fn`` for ``steps`` steps (the series' loop); returns the model and seconds."""
    run = optimize(model, loss_fn, steps, lr, progress=False)
    return model, run.seconds


def count(model):
    return helpers.count_params(model)


# %% [markdown]
# ## 1 · Sound: t → amplitude
#
# **The signal.** A clip of N samples at `rate` Hz, written out as a function of one
# coordinate: sample k sits at the centre `t_k = (2k + 1)/N − 1` in (−1, 1), exactly like
# a pixel, and its value is the amplitude a(t_k) in [−1, 1]. The clip is synthesised by
# `data/make_sound.py` (four plucked notes with two harmonics and a decay, then a chirp;
# CC0): one part to test on, another part to choose knobs on (validation).
#
# **Held-out data.** Train on the even samples, test on the odd ones: 2× upsampling in
# time, the image protocol in 1-D. Scores are the series' PSNR of (a + 1)/2, so 20 dB means
# an error a tenth of the full range.
#
# **Classical answers.** Linear interpolation (the mean of the two neighbours), and
# band-limited interpolation: keep the even samples' spectrum, add nothing above their
# Nyquist frequency, and invert (a periodic sinc). For a signal with nothing above a
# quarter of the sampling rate it is exact.

# %%
section_start = time.perf_counter()  # each section reports its run time at its checks
rate, seconds = NB["audio_rate"], NB["audio_seconds"]
sound = audio.load_sound("test", seconds, rate)
sound_val = audio.load_sound("validation", seconds, rate)
N = len(sound)
train_t, train_a, test_t, test_a = audio.split_even_odd(sound)
print(f"{N} samples at {rate} Hz ({seconds:g} s): train {len(train_t)} even, "
      f"test {len(test_t)} odd samples")
display(Audio(sound.numpy(), rate=rate, normalize=False))

# %% [markdown]
# Linear interpolation is one line; band-limited interpolation zero-pads the spectrum.
# Both are written out and checked against the helpers:

# %%
even = train_a[:, 0]
linear = (even + torch.cat([even[1:], even[-1:]])) / 2
spectrum = torch.fft.rfft(even.double())
padded = torch.zeros(len(even) + 1, dtype=spectrum.dtype)
padded[:len(spectrum)] = spectrum
padded[len(even) // 2] /= 2  # the even samples' Nyquist bin is shared by +f and -f
bandlimited = (torch.fft.irfft(padded, n=2 * len(even)) * 2)[1::2].float()
assert torch.allclose(linear, audio.linear_odd(even))
assert torch.allclose(bandlimited, audio.bandlimited_odd(even), atol=1e-6)
classical = {"linear interpolation": linear, "band-limited (FFT) interpolation": bandlimited}
for name, odd in classical.items():
    print(f"{name:<34} test {audio.audio_psnr(odd, test_a[:, 0]):6.2f} dB")

# %% [markdown]
# **The networks.** The same families as for images, with one input and one linear
# output: a plain ReLU MLP, ReLU on positional encoding (L frequencies up to the train
# samples' Nyquist limit, as in 03), ReLU on Gaussian Fourier features (σ), and SIREN (the
# first layer's ω0; hidden layers keep 30).
#
# **Why ω0 has to change.** SIREN's first layer computes `sin(ω0 w t)` with `w` up to 1
# in size, so it starts with frequencies up to about ω0 radians per unit of t. A 256-pixel
# image axis has 128 pixels per unit (it spans 2 units) and ω0 = 30 suits it. This clip has
# N/2 samples per unit: the same detail per sample needs ω0 about `30 × (N/2) / 128`.
# SIREN's authors used 3000 for sound for this reason ("a much higher frequency on the
# range −1 to 1"). Below ω0 and σ are chosen on the validation clip and reported on the
# test clip.

# %%
samples_per_unit = N / 2
rule = 30 * samples_per_unit / 128
n_freqs = max_useful_n_freqs(N)
print(f"image axis 256 px: 128 samples per unit -> omega0 = 30")
print(f"this clip: {samples_per_unit:.0f} samples per unit -> omega0 ~ {rule:.0f} by the same rule")
print(f"positional encoding: L = {n_freqs} (top frequency {2 ** (n_freqs - 1)} periods "
      f"across the clip, below the {N // 4} the train samples resolve)")

HIDDEN_A, STEPS_A = NB["audio_hidden"], NB["audio_steps"]
AUDIO_LR = {"relu": 1e-3, "pe": 1e-3, "gauss": 1e-3, "siren": 1e-4}


def audio_model(kind, knob=None):
    torch.manual_seed(0)
    if kind == "siren":
        return helpers.Siren(1, 1, HIDDEN_A, 4, omega0=knob)
    if kind == "gauss":
        encoder = helpers.GaussianFourierFeatures(knob, HIDDEN_A // 2, in_dim=1)
    elif kind == "pe":
        encoder = helpers.PositionalEncoding(knob, in_dim=1)
    else:
        encoder = helpers.encoders.Identity(1)
    return helpers.CoordinateModel(encoder, helpers.MLP(encoder.out_dim, 1, HIDDEN_A, 4,
                                                        output="linear"))


def fit_audio(kind, knob=None, signal=sound):
    """Train on the even samples of ``signal``, score the odd ones; predict every sample."""
    t_train, a_train, t_test, a_test = (x.to(DEVICE) for x in audio.split_even_odd(signal))
    model = audio_model(kind, knob).to(DEVICE)
    model, secs = train(model, lambda step: helpers.mse(model(t_train), a_train), STEPS_A,
                        AUDIO_LR[kind])
    with torch.no_grad():
        full = model(audio.time_coords(len(signal)).to(DEVICE))[:, 0].cpu().clamp(-1, 1)
    return SimpleNamespace(kind=kind, knob=knob, model=model, full=full, seconds=secs,
                           train_psnr=audio.audio_psnr(full[0::2], a_train[:, 0].cpu()),
                           test_psnr=audio.audio_psnr(full[1::2], a_test[:, 0].cpu()),
                           diverged=False)


# %% [markdown]
# ### Choosing ω0 and σ on the validation clip
#
# The slider below moves ω0 on a log scale; these are the values it can take, so the
# validation sweep runs on some of them.

# %%
slider_omegas = panels.log_values(30, 30000, per_decade=2)
omega0s = sorted({min(slider_omegas, key=lambda v: abs(math.log(v / w)))
                  for w in NB["audio_omega0s"]})
start = time.perf_counter()
val_siren = {w: fit_audio("siren", w, sound_val) for w in omega0s}
val_gauss = {s: fit_audio("gauss", s, sound_val) for s in NB["audio_sigmas"]}
best_omega0 = max(val_siren, key=lambda w: val_siren[w].test_psnr)
best_sigma = max(val_gauss, key=lambda s: val_gauss[s].test_psnr)
print("validation clip, odd samples (dB):")
print("  SIREN omega0: " + ", ".join(f"{w:g}: {r.test_psnr:.1f}" for w, r in val_siren.items()))
print("  Gaussian sigma: " + ", ".join(f"{s:g}: {r.test_psnr:.1f}" for s, r in val_gauss.items()))
print(f"chosen: omega0 = {best_omega0:g} (the rule said ~{rule:.0f}), sigma = {best_sigma:g} "
      f"({time.perf_counter() - start:.0f} s)")

# %% [markdown]
# ### Every method on the test clip

# %%
start = time.perf_counter()
sound_fits = {
    "ReLU": fit_audio("relu"),
    f"ReLU + PE (L={n_freqs})": fit_audio("pe", n_freqs),
    f"ReLU + Gaussian (σ={best_sigma:g})": fit_audio("gauss", best_sigma),
    "SIREN (ω0=30, the image value)": fit_audio("siren", 30.0),
    f"SIREN (ω0={best_omega0:g})": fit_audio("siren", best_omega0),
}
print(f"{'method':<34}{'train dB':>9}{'test dB':>9}{'params':>9}{'seconds':>9}")
for name, odd in classical.items():
    print(f"{name:<34}{'':>9}{audio.audio_psnr(odd, test_a[:, 0]):9.2f}{'0':>9}{'':>9}")
for name, fit in sound_fits.items():
    print(f"{name:<34}{fit.train_psnr:9.2f}{fit.test_psnr:9.2f}{count(fit.model):9d}"
          f"{fit.seconds:9.1f}")
print(f"({time.perf_counter() - start:.0f} s)")

# %% [markdown]
# Listen: the target, each fit, and the error of the best network and of the ReLU MLP
# (errors scaled up to full loudness, so you hear what is missing).

# %%
siren_fit = sound_fits[f"SIREN (ω0={best_omega0:g})"]
relu_fit = sound_fits["ReLU"]
for name, fit in sound_fits.items():
    print(f"{name}: test {fit.test_psnr:.1f} dB")
    display(Audio(fit.full.numpy(), rate=rate, normalize=False))
print("error of", f"SIREN (ω0={best_omega0:g}) (scaled up)")
display(Audio((siren_fit.full - sound).numpy(), rate=rate))
print("error of ReLU (scaled up)")
display(Audio((relu_fit.full - sound).numpy(), rate=rate))

# %% [markdown]
# **What each fit keeps, in time and in frequency.** A 15 ms window of the waveform (the
# odd samples are the test samples), and the spectrograms: the ReLU MLP keeps only the
# lowest frequencies (spectral bias, as for images), SIREN with the image's ω0 = 30 too;
# with ω0 scaled to the clip it has the harmonics and the chirp.

# %%
def spectro(ax, signal, title):
    freqs, times, db = audio.spectrogram(signal, rate)
    ax.imshow(db, origin="lower", aspect="auto", cmap="magma", vmin=-80, vmax=0,
              extent=(times[0], times[-1], freqs[0], freqs[-1]))
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("time (s)")


shown = {"target": (sound, None), **{k: (v.full, v.test_psnr) for k, v in sound_fits.items()}}
fig, axes = plt.subplots(2, len(shown), figsize=(3.2 * len(shown), 6), constrained_layout=True)
window = slice(int(0.05 * rate), int(0.065 * rate))
times_ms = 1000 * np.arange(N)[window] / rate
for col, (name, (signal, score)) in enumerate(shown.items()):
    label = name if score is None else f"{name}\ntest {score:.1f} dB"
    axes[0, col].plot(times_ms, sound[window], color="black", linewidth=2, label="target")
    if score is not None:
        axes[0, col].plot(times_ms, signal[window], color="#d62728", linewidth=1.2, label="fit")
    axes[0, col].plot(times_ms[1::2], sound[window][1::2], "o", markersize=2.5,
                      color="#1f77b4", label="test samples")
    axes[0, col].set_title(label, fontsize=10)
    axes[0, col].set_xlabel("time (ms)")
    spectro(axes[1, col], signal, f"spectrogram: {name}")
axes[0, 0].legend(fontsize=8, loc="lower left")
axes[1, 0].set_ylabel("frequency (Hz)")
plt.show()

# %% [markdown]
# **The knob, live.** Move ω0 (log scale): each value trains SIREN on the even samples of
# the test clip (a few seconds) and shows its spectrogram beside the target's, with the PSNR
# of every value tried so far. Too small and the high notes and the chirp's top vanish;
# too large and the fit rings between the training samples (train PSNR up, test down).

# %%
def as_panel_result(fit):
    return SimpleNamespace(prediction=audio.spectrogram_image(fit.full, rate),
                           train_psnr=fit.train_psnr, test_psnr=fit.test_psnr, diverged=False)


omega_slider = widgets.FloatLogSlider(value=best_omega0, base=10, min=math.log10(30),
                                      max=math.log10(30000), step=0.5, description="ω0",
                                      continuous_update=False)
panels.retrain_panel(omega_slider, lambda w: as_panel_result(fit_audio("siren", w)),
                     target=audio.spectrogram_image(sound, rate),
                     precomputed={30.0: as_panel_result(sound_fits["SIREN (ω0=30, the image value)"]),
                                  best_omega0: as_panel_result(siren_fit)},
                     name="ω0", show_spectrum=False)

# %% [markdown]
# **Checks.** Big gaps only, true in the smoke and the full budget: band-limited
# interpolation beats linear (the clip is band-limited), the chosen ω0 is far above the
# image value and beats it, and every encoding beats the plain ReLU MLP, which learns
# little more than silence.

# %%
sound_scores = {name: audio.audio_psnr(odd, test_a[:, 0]) for name, odd in classical.items()}
sound_scores.update({name: fit.test_psnr for name, fit in sound_fits.items()})
assert sound_scores["band-limited (FFT) interpolation"] > sound_scores["linear interpolation"] + 5
assert best_omega0 > 5 * 30, "the clip needs a far larger omega0 than an image"
assert siren_fit.test_psnr > sound_scores["SIREN (ω0=30, the image value)"] + 10
assert siren_fit.test_psnr > relu_fit.test_psnr + 10
assert sound_fits[f"ReLU + Gaussian (σ={best_sigma:g})"].test_psnr > relu_fit.test_psnr + 8
assert relu_fit.test_psnr < sound_scores["linear interpolation"]
print(f"section 1 (sound) ran in {time.perf_counter() - section_start:.0f} s")

# %% [markdown]
# The honest reading: on regularly spaced samples of a band-limited sound, band-limited
# interpolation is the right tool, and no network here beats it. What the network gives is
# a continuous function of t, with the knob set to the signal's samples per unit.
#
# ## 2 · Video: (x, y, t) → rgb
#
# **The signal.** A clip generated in code (`helpers.clip.make_clip`): a drifting colour
# gradient, a disc on a circle, a sliding square and a turning bar, T frames of S × S
# pixels. Pixel (i, j) of frame k sits at `(x, y, t)` with each coordinate at its centre
# in (−1, 1), so the network reads three numbers and returns three colours.
#
# **Held-out data, twice.** (a) Train on the even frames, test on the odd frames: the
# network must invent the in-between frames. The classical answer is linear blending of
# the two neighbouring frames. (b) Train on the even pixels `[::2, ::2]` of every frame,
# test on the odd ones `[1::2, 1::2]`: the image protocol, on every frame at once; the
# classical answer is bilinear interpolation (the mean of the 4 neighbours).
#
# **The knob.** Time has T/2 frames per unit, space S/2 pixels per unit: far fewer
# samples along t. By the same rule as for sound, t needs a bandwidth T/S times the
# spatial one, so the coordinates go through `clip.AxisScale((1, 1, τ))` first with
# τ = T/S (not tuned on the test frames). The slider at the end moves τ.

# %%
section_start = time.perf_counter()
T, S = NB["video_frames"], NB["video_size"]
video = clip.make_clip(T, S)
coords = clip.clip_coords(T, S)
tau = T / S
stored = video.numel()
print(f"clip: {T} frames of {S}x{S} px = {stored} stored values; tau = T/S = {tau:g}")
plots.show_images([video[k] for k in range(0, T, max(1, T // 6))][:6],
                  [f"frame {k}" for k in range(0, T, max(1, T // 6))][:6], size=2.2)
plt.show()

# %%
HIDDEN_V, STEPS_V = NB["video_hidden"], NB["video_steps"]


def video_model(kind, time_scale=tau):
    torch.manual_seed(0)
    scale = clip.AxisScale((1.0, 1.0, time_scale))
    if kind == "siren":
        return helpers.CoordinateModel(scale, helpers.Siren(3, 3, HIDDEN_V, 4, omega0=30.0))
    features = helpers.PositionalEncoding(max_useful_n_freqs(S), in_dim=3)
    return helpers.CoordinateModel(torch.nn.Sequential(scale, features),
                                   helpers.MLP(features.out_dim, 3, HIDDEN_V, 4))


VIDEO_LR = {"siren": 5e-4, "pe": 1e-3}


def fit_video(kind, train_x, train_y, time_scale=tau, steps=STEPS_V):
    model = video_model(kind, time_scale).to(DEVICE)
    x, y = train_x.to(DEVICE), train_y.to(DEVICE)
    model, secs = train(model, lambda step: helpers.mse(model(x), y), steps, VIDEO_LR[kind])
    with torch.no_grad():
        full = torch.cat([model(chunk.to(DEVICE)).cpu()
                          for chunk in coords.reshape(-1, 3).split(65536)])
    return SimpleNamespace(model=model, video=full.reshape(T, S, S, 3).clamp(0, 1), seconds=secs)


VIDEO_NAMES = {"siren": "SIREN", "pe": f"ReLU + PE (L={max_useful_n_freqs(S)})"}
start = time.perf_counter()
frame_fits = {k: fit_video(k, coords[0::2].reshape(-1, 3), video[0::2].reshape(-1, 3))
              for k in VIDEO_NAMES}
pixel_fits = {k: fit_video(k, coords[:, ::2, ::2].reshape(-1, 3),
                           video[:, ::2, ::2].reshape(-1, 3)) for k in VIDEO_NAMES}
print(f"4 video fits in {time.perf_counter() - start:.0f} s")

# %%
odd_frames = video[1::2]
held = {"repeat the previous frame": video[0::2], "linear blending": clip.blend_frames(video[0::2])}
frame_scores = {name: helpers.psnr(pred, odd_frames) for name, pred in held.items()}
frame_scores.update({VIDEO_NAMES[k]: helpers.psnr(f.video[1::2], odd_frames)
                     for k, f in frame_fits.items()})
odd_pixels = video[:, 1::2, 1::2]
pixel_scores = {"bilinear (4 neighbours)": helpers.psnr(
    clip.four_neighbour_average(video[:, ::2, ::2]), odd_pixels)}
pixel_scores.update({VIDEO_NAMES[k]: helpers.psnr(f.video[:, 1::2, 1::2], odd_pixels)
                     for k, f in pixel_fits.items()})
print(f"{'(a) odd frames held out':<30}{'test dB':>9}{'params':>9}{'params/values':>15}")
for name, score in frame_scores.items():
    key = next((k for k, v in VIDEO_NAMES.items() if v == name), None)
    params = count(frame_fits[key].model) if key else 0
    print(f"{name:<30}{score:9.2f}{params:9d}{params / stored:15.3f}")
print(f"\n{'(b) odd pixels held out':<30}{'test dB':>9}")
for name, score in pixel_scores.items():
    print(f"{name:<30}{score:9.2f}")

# %% [markdown]
# **The in-between frames.** A held-out frame as blending and each network invent it:
# blending shows a moving object twice at half strength (a ghost); a network has to decide
# where the object is, and with too little training it blurs instead.

# %%
k = 2 * (T // 4) + 1  # an odd (held-out) frame in the middle of the clip
row = {f"target frame {k}": video[k],
       "linear blending": held["linear blending"][k // 2],
       **{VIDEO_NAMES[n]: f.video[k] for n, f in frame_fits.items()}}
titles = [name if name.startswith("target") else
          f"{name}\n{helpers.psnr(img, video[k]):.1f} dB on this frame" for name, img in row.items()]
fig = plots.show_images(list(row.values()), titles, size=2.8)
for ax, img in zip(fig.axes, row.values()):
    plots.add_inset(ax, img, (0.1, 0.45, 0.3, 0.65))
plt.show()

# %% [markdown]
# **Fit and target, playing side by side** (target | SIREN trained on the even frames |
# linear blending; the odd frames of the last two are invented).

# %%
blended_all = video.clone()
blended_all[1::2] = held["linear blending"]
side_by_side = torch.cat([video, frame_fits["siren"].video, blended_all], dim=2)
path = clip.write_video(side_by_side, Path(tempfile.gettempdir()) / "09_video_side_by_side",
                        fps=8, scale=max(1, 192 // S))
show_video(path)

# %% [markdown]
# **The knob, live.** τ scales t before the network: a small τ makes the network smooth
# in time (frames blur into each other), a large one lets it change abruptly between
# frames (the in-between frames become guesses). Each value trains SIREN on the even
# frames for a short preview.

# %%
PREVIEW_V = NB["video_preview_steps"]


def tau_result(value):
    fit = fit_video("siren", coords[0::2].reshape(-1, 3), video[0::2].reshape(-1, 3),
                    time_scale=value, steps=PREVIEW_V)
    return SimpleNamespace(prediction=fit.video[k], diverged=False,
                           train_psnr=helpers.psnr(fit.video[0::2], video[0::2]),
                           test_psnr=helpers.psnr(fit.video[1::2], odd_frames))


tau_slider = widgets.FloatLogSlider(value=tau, base=2, min=math.log2(tau) - 3,
                                    max=math.log2(tau) + 3, step=1, description="τ",
                                    continuous_update=False)
panels.retrain_panel(tau_slider, tau_result, target=video[k], name="τ", show_spectrum=False)

# %% [markdown]
# **Checks** (sanity and large gaps only): blending beats repeating a frame, every network
# learned the clip (well above a flat grey), the classical baselines are real, and a
# network stores fewer numbers than the clip has.

# %%
assert frame_scores["linear blending"] > frame_scores["repeat the previous frame"] + 0.5
assert pixel_scores["bilinear (4 neighbours)"] > 20
flat = helpers.psnr(torch.full_like(odd_frames, float(video.mean())), odd_frames)
for name in VIDEO_NAMES.values():
    assert frame_scores[name] > flat + 3 and pixel_scores[name] > flat + 3, name
assert all(count(f.model) < stored for f in frame_fits.values())
print(f"section 2 (video) ran in {time.perf_counter() - section_start:.0f} s")

# %% [markdown]
# ## 3 · A 3-D shape: (x, y, z) → signed distance
#
# **The signal.** A signed distance f: negative inside, zero on the surface, and |∇f| = 1
# (it grows by one unit per unit of distance). The shape is built in code from exact
# primitive distances (`helpers.sdf.shape_sdf`): a box turned 30° (sharp edges and
# corners), a thin ring around it and a thin rod through it, joined by `min`.
#
# **What the networks see** (SIREN's setting, Sitzmann et al. 2020): points on the
# surface with their normals, and random points in the cube [−1, 1]³ with no value at all.
# SIREN's loss asks for f = 0 and ∇f = n on the surface, |∇f| = 1 everywhere (the eikonal
# term), and penalises exp(−α|f|) off the surface (α = 100) so that no zero level appears
# where there is no surface:
#
# `L = 3000·mean|f(on)| + 100·mean(1 − cos(∇f, n)) + 50·mean| |∇f| − 1 | + 100·mean exp(−100|f(off)|)`
#
# The gradient ∇f comes from autograd with the graph kept, so the loss can be trained;
# it is the same gradient as 05's `analysis.model_derivatives`, checked below.
#
# **Held-out data.** Other surface points (for the surface distance) and uniform points in
# the cube (for the sign: IoU of the inside, and sign accuracy). **The classical
# answer** would be a mesh reconstruction from the point cloud (e.g. screened Poisson);
# it needs a library outside this series, so here the true shape is the reference.

# %%
section_start = time.perf_counter()
n_points = NB["sdf_points"]
surface, normals = sdf.sample_surface(n_points, seed=0)
held_surface, _ = sdf.sample_surface(2000, seed=1)
cube = torch.rand(n_points, 3, generator=torch.Generator().manual_seed(2)) * 2 - 1
cube_sdf = sdf.shape_sdf(cube)
print(f"{n_points} training surface points; held out: {len(held_surface)} surface points, "
      f"{len(cube)} points in the cube ({float((cube_sdf < 0).float().mean()):.1%} inside)")

# the SIREN loss written out, checked against the helper on a small SIREN
check_model = helpers.Siren(3, 1, 32, 3)
on, nrm, off = surface[:256], normals[:256], cube[:256]
f_on, g_on = sdf.gradient(check_model, on, create_graph=True)
f_off, g_off = sdf.gradient(check_model, off, create_graph=True)
mine = (3e3 * f_on.abs().mean()
        + 1e2 * (1 - torch.nn.functional.cosine_similarity(g_on, nrm, dim=-1)).mean()
        + 5e1 * (torch.cat([g_on, g_off]).norm(dim=-1) - 1).abs().mean()
        + 1e2 * torch.exp(-100 * f_off.abs()).mean())
assert torch.allclose(mine, sdf.siren_sdf_loss(check_model, on, nrm, off)[0])
assert torch.allclose(g_on.detach(), analysis.model_derivatives(check_model, on, "mean")[0],
                      atol=1e-5)

# %%
HIDDEN_S, STEPS_S, BATCH_S = NB["sdf_hidden"], NB["sdf_steps"], NB["sdf_batch"]
PE_FREQS = 6


def shape_model(kind):
    torch.manual_seed(0)
    if kind == "siren":
        return helpers.Siren(3, 1, HIDDEN_S, 4, omega0=30.0)
    encoder = helpers.PositionalEncoding(PE_FREQS, in_dim=3, include_input=True)
    return helpers.CoordinateModel(encoder, helpers.MLP(encoder.out_dim, 1, HIDDEN_S, 4,
                                                        output="linear"))


SHAPE_LR = {"siren": 5e-4, "pe": 3e-4}


def fit_shape(kind):
    model = shape_model(kind).to(DEVICE)
    generator = torch.Generator().manual_seed(5)
    pts, nrms = surface.to(DEVICE), normals.to(DEVICE)

    def loss_fn(step):  # a fresh batch of surface and free points every step
        index = torch.randint(0, len(pts), (BATCH_S,), generator=generator).to(DEVICE)
        free = (torch.rand(BATCH_S, 3, generator=generator) * 2 - 1).to(DEVICE)
        return sdf.siren_sdf_loss(model, pts[index], nrms[index], free)[0]

    model, secs = train(model, loss_fn, STEPS_S, SHAPE_LR[kind])
    return SimpleNamespace(model=model, seconds=secs,
                           fn=lambda p: model(p.to(DEVICE)).reshape(-1).cpu())


SHAPE_NAMES = {"siren": "SIREN (ω0=30)", "pe": f"ReLU + PE (L={PE_FREQS})"}
start = time.perf_counter()
shape_fits = {k: fit_shape(k) for k in SHAPE_NAMES}
print(f"2 shape fits in {time.perf_counter() - start:.0f} s")

# %%
def shape_scores(fn):
    with torch.no_grad():
        values = torch.cat([fn(chunk) for chunk in cube.split(65536)])
    return {**sdf.inside_scores(values, cube_sdf), **sdf.surface_distance(fn, held_surface)}


rows = {"true SDF (reference)": shape_scores(sdf.shape_sdf)}
rows.update({SHAPE_NAMES[k]: shape_scores(f.fn) for k, f in shape_fits.items()})
print(f"{'held-out points':<24}{'IoU inside':>11}{'sign acc.':>10}{'true->fit':>10}"
      f"{'fit->true':>10}{'params':>8}{'seconds':>8}")
for name, row in rows.items():
    key = next((k for k, v in SHAPE_NAMES.items() if v == name), None)
    params, secs = (count(shape_fits[key].model), shape_fits[key].seconds) if key else (0, 0)
    print(f"{name:<24}{row['iou']:11.3f}{row['sign_accuracy']:10.4f}"
          f"{row['true_to_learned']:10.4f}{row['learned_to_true']:10.4f}{params:8d}{secs:8.1f}")
print("surface distances in units of the cube (2 wide): mean over held-out points")

# %% [markdown]
# **Rendered from the same viewpoint** by sphere tracing (`helpers.render3d`): each camera
# ray steps forward by the field's value until it reaches zero, inside the cube only; the
# shading uses the normal ∇f. SIREN's field is close to a distance: the box, the ring and
# the rod come out whole, the edges a little rounded. The ReLU + PE field, trained with the
# same loss, is rippled by its encoding's high frequencies: a speckled, bumpy surface with
# floating specks, and the thin rod broken.

# %%
RENDER = NB["render_size"]
images = {"true shape": render3d.render(sdf.shape_sdf, RENDER)[0]}
for k, f in shape_fits.items():
    images[SHAPE_NAMES[k]] = render3d.render(f.fn, RENDER, step_scale=0.8)[0]
titles = [name if name.startswith("true") else
          f"{name}\nIoU {rows[name]['iou']:.2f} | fit→true {rows[name]['learned_to_true']:.3f}"
          for name in images]
plots.show_images(list(images.values()), titles, size=3.4)
plt.show()

# %% [markdown]
# **Checks.** The reference scores are exact; SIREN finds the inside far better than
# chance and better than the ReLU + PE network trained with the same loss, and its surface
# lies closer to the true one.

# %%
siren_row, pe_row = rows[SHAPE_NAMES["siren"]], rows[SHAPE_NAMES["pe"]]
assert rows["true SDF (reference)"]["iou"] == 1.0
assert rows["true SDF (reference)"]["learned_to_true"] < 1e-3
assert siren_row["iou"] > 0.6 and siren_row["sign_accuracy"] > 0.97
assert siren_row["iou"] > pe_row["iou"]
assert siren_row["learned_to_true"] < pe_row["learned_to_true"]
print(f"section 3 (3-D shape) ran in {time.perf_counter() - section_start:.0f} s")

# %% [markdown]
# ## What changed, and what did not
#
# - The network, the loss (MSE, or SIREN's SDF loss), the optimiser and the loop are the
#   image's; only the coordinates and what is measured changed.
# - The bandwidth knob (ω0, σ, τ) is in units of the input: rescale it with the samples per
#   unit along each axis, 30 for a 256-pixel image axis, hundreds to thousands for a second
#   of sound, less along time than along space in a video.
# - The classical answers stay strong where the samples are regular: band-limited
#   interpolation for sound, blending for video. Networks earn their keep where the data is
#   not a grid: a shape from scattered surface points, with a field that answers anywhere.
