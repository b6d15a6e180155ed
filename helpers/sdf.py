"""A 3-D shape as a signed distance f(x, y, z): negative inside, 0 on the surface (10_beyond_images).

The shape is built in code from exact primitive distances (Inigo Quilez's formulas): a
box (sharp edges and corners), a thin torus ring around it and a thin rod through it,
joined by ``min`` (a union). A true signed distance has ``|∇f| = 1`` almost everywhere;
SIREN (Sitzmann et al. 2020, Sec. 4.2) learns one from surface points and normals with

    L = λ_s Σ_surface |f| + λ_n Σ_surface (1 - cos(∇f, n)) + λ_e Σ_all | |∇f| - 1 |
        + λ_o Σ_off exp(-α |f|),

the last term pushing the zero level away from where there is no surface (α = 100).
The eikonal term |∇f| = 1 as a loss is Gropp et al. 2020 ("Implicit Geometric
Regularization for Learning Shapes"). The classical answer from the same oriented points
is Hoppe et al. 1992 ("Surface reconstruction from unorganized points"): f(p) = the
signed distance to the tangent plane of the nearest sample, :func:`tangent_plane_sdf`.
Measures on held-out points: sign agreement, IoU of the inside, the distance between
the learned and the true surface (both ways, after projecting onto the learned one), and
how far f is from a distance, mean | |∇f| - 1 | (:func:`eikonal_error`).
"""
from __future__ import annotations

import torch

# SIREN's weights for the four terms (explore_siren / sdf loss: 3e3, 1e2, 5e1, 1e2)
WEIGHTS = {"surface": 3e3, "normal": 1e2, "eikonal": 5e1, "off_surface": 1e2}


def sphere_sdf(p: torch.Tensor, center=(0.0, 0.0, 0.0), radius: float = 0.5) -> torch.Tensor:
    """``(N, 3) -> (N,)``: ``|p - c| - r``."""
    return (p - torch.tensor(center, dtype=p.dtype, device=p.device)).norm(dim=-1) - radius


def box_sdf(p: torch.Tensor, center=(0.0, 0.0, 0.0), half=(0.3, 0.3, 0.3)) -> torch.Tensor:
    """``(N, 3) -> (N,)``: exact box distance, ``|max(q, 0)| + min(max_i q_i, 0)``, q = |p - c| - h."""
    q = (p - torch.tensor(center, dtype=p.dtype, device=p.device)).abs() - torch.tensor(
        half, dtype=p.dtype, device=p.device)
    return q.clamp_min(0).norm(dim=-1) + q.max(dim=-1).values.clamp_max(0)


def torus_sdf(p: torch.Tensor, major: float = 0.6, minor: float = 0.06) -> torch.Tensor:
    """``(N, 3) -> (N,)``: a ring in the x-z plane, ``|(|p_xz| - R, p_y)| - r``."""
    ring = torch.stack([p[:, [0, 2]].norm(dim=-1) - major, p[:, 1]], dim=-1)
    return ring.norm(dim=-1) - minor


def capsule_sdf(p: torch.Tensor, a=(0.0, -0.8, 0.0), b=(0.0, 0.8, 0.0),
                radius: float = 0.05) -> torch.Tensor:
    """``(N, 3) -> (N,)``: distance to the segment a-b minus the radius (a rod)."""
    a = torch.tensor(a, dtype=p.dtype, device=p.device)
    b = torch.tensor(b, dtype=p.dtype, device=p.device)
    h = (((p - a) @ (b - a)) / (b - a).dot(b - a)).clamp(0, 1)
    return (p - a - h[:, None] * (b - a)).norm(dim=-1) - radius


def shape_sdf(p: torch.Tensor) -> torch.Tensor:
    """The lesson's shape, ``(N, 3) -> (N,)``: a tilted box, a ring around it, a rod through it.

    Union by ``min``: exact outside the shape, a valid signed distance (|∇f| = 1) inside.
    Everything lies within |p| < 0.85, inside the [-1, 1]³ cube the networks see.
    """
    c, s = 0.8660254, 0.5  # the box turned 30 degrees about y, so its edges are not axis-aligned
    turned = torch.stack([c * p[:, 0] + s * p[:, 2], p[:, 1], -s * p[:, 0] + c * p[:, 2]], dim=-1)
    box = box_sdf(turned, half=(0.32, 0.32, 0.32))
    return torch.minimum(torch.minimum(box, torus_sdf(p)), capsule_sdf(p))


def gradient(fn, points: torch.Tensor, create_graph: bool = False):
    """``f(points)`` and ``∇f``: ``(N,)`` and ``(N, 3)`` by autograd.

    ``fn``: ``(N, 3) -> (N,)`` or ``(N, 1)``. create_graph=True keeps the graph so a loss on
    ∇f (normals, eikonal) can be trained; :func:`helpers.look_inside.model_derivatives`
    (05) gives the same gradient, detached, for looking at a fitted model.
    """
    with torch.enable_grad():
        x = points.detach().requires_grad_(True)
        values = fn(x).reshape(-1)
        grad = torch.autograd.grad(values.sum(), x, create_graph=create_graph)[0]
    return values, grad


def sample_surface(n: int, fn=shape_sdf, seed: int = 0, tol: float = 1e-4):
    """``n`` points on the zero level of ``fn`` and their unit normals: ``(n, 3)``, ``(n, 3)``.

    Uniform points in [-1, 1]³ are moved along the gradient, ``p - f(p) ∇f(p)`` (twice),
    which lands on the surface of an exact distance; points that miss are dropped and
    more are drawn.
    """
    generator = torch.Generator().manual_seed(seed)
    found = []
    total = 0
    while total < n:
        p = torch.rand(4 * n, 3, generator=generator) * 2 - 1
        for _ in range(2):
            f, g = gradient(fn, p)
            p = (p - f[:, None] * g).detach()
        f, g = gradient(fn, p)
        keep = (f.abs() < tol) & (g.norm(dim=-1) > 0.5)
        found.append(torch.cat([p[keep], g[keep] / g[keep].norm(dim=-1, keepdim=True)], dim=1))
        total += int(keep.sum())
    both = torch.cat(found)[:n]
    return both[:, :3].contiguous(), both[:, 3:].contiguous()


def siren_sdf_loss(model, surface: torch.Tensor, normals: torch.Tensor, off: torch.Tensor,
                   alpha: float = 100.0, weights: dict | None = None):
    """SIREN's SDF loss (formula above) on surface points (with normals) and off-surface points.

    Returns ``(total, parts)``: the weighted sum (a 0-d tensor) and each term's mean as a
    float. ``off``: points anywhere in the cube (uniform), as in SIREN.
    """
    weights = {**WEIGHTS, **(weights or {})}
    f_on, g_on = gradient(model, surface, create_graph=True)
    f_off, g_off = gradient(model, off, create_graph=True)
    terms = {
        "surface": f_on.abs().mean(),
        "normal": (1 - torch.nn.functional.cosine_similarity(g_on, normals, dim=-1)).mean(),
        "eikonal": (torch.cat([g_on, g_off]).norm(dim=-1) - 1).abs().mean(),
        "off_surface": torch.exp(-alpha * f_off.abs()).mean(),
    }
    total = sum(weights[k] * v for k, v in terms.items())
    return total, {k: float(v.detach()) for k, v in terms.items()}


def tangent_plane_sdf(points: torch.Tensor, normals: torch.Tensor):
    """Hoppe et al. 1992: ``f(p) = (p - s_i) · n_i`` for the sample s_i nearest to p.

    points, normals: ``(M, 3)`` oriented samples of the surface. Returns ``fn``:
    ``(N, 3) -> (N,)``, the signed distance to the nearest sample's tangent plane (nearest
    by ``scipy.spatial.cKDTree``); differentiable in p (∇f = n_i), so it renders and
    projects like a network.
    """
    from scipy.spatial import cKDTree

    tree = cKDTree(points.detach().cpu().numpy())

    def fn(p: torch.Tensor) -> torch.Tensor:
        nearest = torch.as_tensor(tree.query(p.detach().cpu().numpy())[1], device=p.device)
        return ((p - points.to(p)[nearest]) * normals.to(p)[nearest]).sum(dim=-1)

    return fn


def eikonal_error(fn, points: torch.Tensor, chunk: int = 65536) -> float:
    """How far ``fn`` is from a distance at ``points``: mean | |∇f| - 1 | (0 for a true SDF)."""
    return float(torch.cat([(gradient(fn, c)[1].norm(dim=-1) - 1).abs()
                            for c in points.split(chunk)]).mean())


def inside_scores(predicted: torch.Tensor, true: torch.Tensor) -> dict:
    """Sign agreement and IoU of the inside (f < 0) between two ``(N,)`` SDF values."""
    pred_in, true_in = predicted < 0, true < 0
    union = (pred_in | true_in).sum().clamp_min(1)
    return {"sign_accuracy": float((pred_in == true_in).float().mean()),
            "iou": float((pred_in & true_in).sum() / union)}


def project(fn, points: torch.Tensor, steps: int = 8) -> torch.Tensor:
    """Move points onto ``fn``'s zero level by Newton steps ``p - f ∇f / |∇f|²``: ``(N, 3)``."""
    p = points.detach()
    for _ in range(steps):
        f, g = gradient(fn, p)
        p = (p - (f / g.pow(2).sum(dim=-1).clamp_min(1e-6))[:, None] * g).detach()
        p = p.clamp(-1.5, 1.5)  # a flat spot of a poor fit must not throw points to infinity
    return p


def surface_distance(fn, surface: torch.Tensor, true_fn=shape_sdf, near: torch.Tensor | None = None,
                     steps: int = 8) -> dict:
    """How far the learned surface (``fn = 0``) is from the true one, both ways.

    surface: held-out points on the true surface. ``true_to_learned``: mean distance from
    each to its projection onto the learned surface. ``learned_to_true``: mean |true SDF|
    at points of the learned surface (projected from ``near``, default the same points
    jittered by N(0, 0.05²)). Points that fail to reach ``fn = 0`` count at their distance.
    """
    generator = torch.Generator().manual_seed(1)
    if near is None:
        near = surface + 0.05 * torch.randn(surface.shape, generator=generator)
    on_learned = project(fn, surface, steps)
    from_near = project(fn, near, steps)
    with torch.no_grad():
        learned_to_true = true_fn(from_near).abs()
    return {"true_to_learned": float((on_learned - surface).norm(dim=-1).mean()),
            "learned_to_true": float(learned_to_true.mean())}
