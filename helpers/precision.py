"""Threads and number precision: how fast this machine can train, chosen once per process.

bfloat16 ("brain float") keeps float32's 8-bit exponent, so its range (1e-38 to 3e38)
is float32's, but only 8 bits of mantissa (7 stored): about 2-3 significant digits, a
relative step of 2^-8 = 0.4 %. Many current CPUs multiply it natively (AVX-512 BF16 on
AMD Zen 4 and Intel Cooper Lake+, AMX on Sapphire Rapids+, Apple M2+, recent Arm
cores), and every recent GPU does. ``torch.autocast(device, dtype=torch.bfloat16)`` runs
the matrix products of a forward pass in it while the parameters, their gradients and
Adam's state stay float32 (autocast never touches parameters).

Phases stay float32. A Fourier feature or a SIREN first layer computes ``sin(phase)`` with
phases of tens to hundreds of radians; in bfloat16 a phase near 300 is rounded to a
multiple of 2, so it is off by about a radian and ``sin`` of it is noise. The encoders
(:mod:`helpers.encoders`) and every first layer whose output is a phase (SIREN, FINER,
sinc, FR-SIREN, WIRE, STAF, the Gabor MFN's filters) therefore run inside
:func:`in_float32`; the hidden layers may run in bfloat16.

Why bother: on a 2-core VM with AVX-512 BF16 an Adam step of the 4x256 Fourier-feature
MLP on 16,384 pixels took 307 ms in float32 and 132 ms under bfloat16 autocast (2.3x),
and with a stream's encoder sharing the CPU, torch's default 2 threads took 0.27-0.38 s a
step where one thread took 0.08-0.12 s (issue 26). Whether bfloat16 pays is a property of
the CPU (and its load), so :func:`probe` measures it in a fraction of a second.

The knobs (every notebook prints the choice in its first line,
:func:`helpers.settings.describe`; no lesson teaches them, the series' numbers are float32's):

- ``NB_THREADS``: unset keeps torch's default; a whole number sets it; ``auto`` runs the
  probe, which keeps one thread when the default is not faster right now.
- ``NB_PRECISION``: unset or ``fp32`` is float32 everywhere (the series' numbers, exactly);
  ``bf16`` runs forward passes under bfloat16 autocast; ``auto`` runs the probe and takes
  bfloat16 only when its matrix product is at least ``settings.BF16_MIN_SPEEDUP`` times
  faster, so a CPU without fast bfloat16 keeps float32. Methods in
  ``settings.FP32_ONLY`` always train in float32.

On a CUDA GPU the same switch turns on bfloat16 autocast and TF32 matrix products
(``torch.backends.cuda.matmul.allow_tf32``) for the float32 ones; the float32 phases turn
TF32 off inside them. That path is written but not yet measured on a GPU
(benchmarks/bench_fit.py, section ``precision``, measures it when one is lent). On Apple's
MPS everything stays float32.
"""
from __future__ import annotations

import contextlib
import dataclasses
import math
import os
import time

import torch

PRECISIONS = ("fp32", "bf16")
_DEFAULT_THREADS = torch.get_num_threads()  # torch's own choice, before anyone changes it


@dataclasses.dataclass(frozen=True)
class Choice:
    """What this process trains with: ``threads``, ``precision`` ('fp32' or 'bf16'),
    ``bf16_speedup`` (float32 time / bfloat16 time of the probe's product, NaN when not
    probed) and ``reason``, a short phrase for each of the two."""

    threads: int
    precision: str
    bf16_speedup: float
    reason: str


def parse_threads(value: str | None) -> int | str | None:
    """``NB_THREADS``: None or '' (torch's default), 'auto', or a whole number >= 1."""
    value = (value or "").strip().lower()
    if value in ("", "auto"):
        return value or None
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"NB_THREADS={value!r} is not a thread count; use a whole number "
                         "such as 1 or 2, or 'auto'.")
    return int(value)


def parse_precision(value: str | None) -> str | None:
    """``NB_PRECISION``: None or '' (float32), 'fp32', 'bf16' or 'auto'."""
    value = (value or "").strip().lower()
    if value and value not in (*PRECISIONS, "auto"):
        raise ValueError(f"NB_PRECISION={value!r} is not a precision; use fp32, bf16 or auto.")
    return value or None


def _best_time(fn, repeat: int) -> float:
    fn()  # warm-up: the first call builds the kernel
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def probe(rows: int = 4096, width: int = 256, repeat: int = 3) -> Choice:
    """Time a training step's matrix product, ``(rows, width) @ (width, width)``, now.

    Float32 and bfloat16, with one thread and with torch's default; best of ``repeat``
    after a warm-up, about 0.1 s on a 2-core laptop. Threads: the default unless one
    thread is as fast (a busy machine). Precision: bf16 when its product is at least
    ``settings.BF16_MIN_SPEEDUP`` times faster at those threads, else fp32.
    """
    from . import settings

    a, w = torch.randn(rows, width), torch.randn(width, width)
    before, times = torch.get_num_threads(), {}
    try:
        for threads in sorted({1, _DEFAULT_THREADS}):
            torch.set_num_threads(threads)
            for dtype, name in ((torch.float32, "fp32"), (torch.bfloat16, "bf16")):
                x, y = a.to(dtype), w.to(dtype)
                times[threads, name] = _best_time(lambda: x @ y, repeat)
    finally:
        torch.set_num_threads(before)
    many = _DEFAULT_THREADS
    threads = many if times[many, "fp32"] * 1.1 < times[1, "fp32"] else 1
    speedup = times[threads, "fp32"] / times[threads, "bf16"]
    fast = speedup >= settings.BF16_MIN_SPEEDUP
    reason = (f"probe: fastest now; probe: bf16 at {speedup:.2f}x fp32's speed"
              f"{'' if fast else f', below {settings.BF16_MIN_SPEEDUP:g}x'}")
    return Choice(threads, "bf16" if fast else "fp32", speedup, reason)


_PROBED: list[Choice] = []
_CHOICES: dict[tuple, Choice] = {}


def probed() -> Choice:
    """:func:`probe`'s answer, measured once per process."""
    if not _PROBED:
        _PROBED.append(probe())
    return _PROBED[0]


def choice() -> Choice:
    """This process's threads and precision from ``NB_THREADS`` and ``NB_PRECISION``.

    Unset: torch's default threads and float32 (no probe). 'auto' runs :func:`probe` once
    per process. A thread count that is given or probed is applied with
    ``torch.set_num_threads``; unset leaves torch's as it is.
    """
    threads = parse_threads(os.environ.get("NB_THREADS"))
    precision = parse_precision(os.environ.get("NB_PRECISION"))
    key = (threads, precision)
    if key not in _CHOICES:
        measured = probed() if "auto" in key else None
        reasons = measured.reason.split("; ") if measured else ["", ""]
        if threads == "auto":
            threads, why_threads = measured.threads, reasons[0]
        else:
            why_threads = "NB_THREADS" if threads else "torch default"
        if precision == "auto":
            precision, why_precision = measured.precision, reasons[1]
        else:
            why_precision = "NB_PRECISION" if precision else "default"
        _CHOICES[key] = Choice(threads or 0, precision or "fp32",
                               measured.bf16_speedup if measured else math.nan,
                               f"{why_threads}; {why_precision}")
    made = _CHOICES[key]
    if key[0] is None:  # torch's threads, whatever they are now
        return dataclasses.replace(made, threads=torch.get_num_threads())
    if torch.get_num_threads() != made.threads:
        torch.set_num_threads(made.threads)
    return made


def summary() -> str:
    """The choice for :func:`helpers.settings.describe`, e.g. 'threads: 2 (torch default) |
    precision: fp32 (default)'."""
    made = choice()
    why_threads, why_precision = made.reason.split("; ")
    return (f"threads: {made.threads} ({why_threads}) | "
            f"precision: {made.precision} ({why_precision})")


def used(precision: str | None = None, device="cpu", method: str | None = None) -> str:
    """The precision a fit really runs at, 'fp32' or 'bf16'.

    precision: None (this process's :func:`choice`), 'fp32', 'bf16' or 'auto' (the probe on
    a CPU; bf16 where a GPU supports it). float32 for a method in ``settings.FP32_ONLY``
    and on devices other than a CPU or CUDA GPU.
    """
    from . import settings

    device = torch.device(device)
    if precision is None:
        precision = choice().precision
    elif parse_precision(precision) is None:
        raise ValueError("precision must be fp32, bf16, auto or None, not an empty string.")
    if precision == "auto":
        if device.type == "cuda":
            precision = "bf16" if torch.cuda.is_bf16_supported() else "fp32"
        else:
            precision = probed().precision
    if method in settings.FP32_ONLY or device.type not in ("cpu", "cuda"):
        return "fp32"
    return precision


def autocast(device="cpu", precision: str | None = None):
    """The context to run a forward pass in: bfloat16 autocast when ``used(precision)`` is
    bf16 (on CUDA with TF32 products for what stays float32), else a null context."""
    device = torch.device(device)
    if precision != "fp32" and used(precision, device) == "bf16":
        if device.type == "cuda":
            torch.backends.cuda.matmul.allow_tf32 = True
        return torch.autocast(device.type, dtype=torch.bfloat16)
    return contextlib.nullcontext()


def autocast_enabled(device_type: str) -> bool:
    """Is autocast on for ``device_type`` ('cpu', 'cuda') here? (torch 2.1-2.3 and later)"""
    try:
        return torch.is_autocast_enabled(device_type)
    except TypeError:  # torch < 2.4: one function per device
        return (torch.is_autocast_cpu_enabled() if device_type == "cpu"
                else torch.is_autocast_enabled())


@contextlib.contextmanager
def _plain_float32(device_type: str):
    """Autocast off and, on CUDA, TF32 off: float32 products with float32's 24-bit mantissa."""
    tf32 = device_type == "cuda" and torch.backends.cuda.matmul.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = False if tf32 else torch.backends.cuda.matmul.allow_tf32
    try:
        with torch.autocast(device_type, enabled=False):
            yield
    finally:
        if tf32:
            torch.backends.cuda.matmul.allow_tf32 = True


def in_float32(x: torch.Tensor):
    """The context for computing a phase from ``x``: float32 inside a bfloat16 autocast
    region (pass ``x.float()`` in), a null context outside one, so float32 code is unchanged."""
    if autocast_enabled(x.device.type):
        return _plain_float32(x.device.type)
    return contextlib.nullcontext()
