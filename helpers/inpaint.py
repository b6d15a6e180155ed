"""Filling a hole by harmonic inpainting: the smoothest surface through its border (09_samples_and_storage).

The missing pixels u solve Laplace's equation Δu = 0 with the known pixels as boundary
values: each missing pixel is the mean of its 4 neighbours (only those inside the
image, i.e. Neumann at the frame). That is one sparse linear system, solved directly.
It is the classical answer to "fill this in" (Bertalmio et al. 2000 build on it;
the biharmonic Δ²u = 0, in scikit-image, bends more smoothly). It cannot invent
texture: a hole fills with a soft blend of its rim.
"""
from __future__ import annotations

import numpy as np
import torch
from scipy.sparse import coo_matrix
from scipy.sparse.linalg import spsolve


def harmonic_inpaint(image: torch.Tensor, missing: torch.Tensor) -> torch.Tensor:
    """``(H, W)`` or ``(H, W, C)`` image, ``(H, W)`` bool mask (True = missing) -> filled copy.

    Known pixels are returned unchanged; missing ones satisfy the 4-neighbour mean
    exactly (to solver precision), so a linear ramp is reproduced exactly.
    """
    missing = torch.as_tensor(missing, dtype=torch.bool)
    if missing.shape != image.shape[:2]:
        raise ValueError(f"the mask is {tuple(missing.shape)} but the image is "
                         f"{tuple(image.shape[:2])}; give one bool per pixel.")
    values = image.detach().double().cpu().numpy()
    values = values[..., None] if values.ndim == 2 else values.copy()
    hole = missing.cpu().numpy()
    height, width = hole.shape
    index = -np.ones((height, width), dtype=np.int64)
    index[hole] = np.arange(int(hole.sum()))
    n = int(hole.sum())
    if n == 0:
        return image.clone()
    rows, cols, data = [], [], []
    rhs = np.zeros((n, values.shape[-1]))
    ii, jj = np.nonzero(hole)
    degree = np.zeros(n)
    for di, dj in ((-1, 0), (1, 0), (0, -1), (0, 1)):
        ni, nj = ii + di, jj + dj
        inside = (ni >= 0) & (ni < height) & (nj >= 0) & (nj < width)
        degree += inside
        me, ni, nj = index[ii[inside], jj[inside]], ni[inside], nj[inside]
        unknown = hole[ni, nj]
        rows += [me[unknown]]
        cols += [index[ni[unknown], nj[unknown]]]
        data += [-np.ones(int(unknown.sum()))]
        np.add.at(rhs, me[~unknown], values[ni[~unknown], nj[~unknown]])
    rows.append(np.arange(n))
    cols.append(np.arange(n))
    data.append(degree)
    system = coo_matrix((np.concatenate(data), (np.concatenate(rows), np.concatenate(cols))),
                        shape=(n, n)).tocsc()
    solution = spsolve(system, rhs)
    values[ii, jj] = solution.reshape(n, -1)
    out = torch.from_numpy(values).to(image.dtype)
    return out[..., 0] if image.ndim == 2 else out
