"""11_tiny_nerf: reference solutions."""
import functools

import torch


def ray_dirs(pose, height, width, focal):
    """The unit world directions (H*W, 3) of a pinhole camera's pixel centres, row by row:
    pixel (row j, column i) looks along ((i + ½ − W/2)/f, −(j + ½ − H/2)/f, −1) in the
    camera's frame (NeRF's convention: x right, y up, looking down −z), then rotated."""
    rows, cols = torch.meshgrid(torch.arange(height) + 0.5, torch.arange(width) + 0.5,
                                indexing="ij")
    d_camera = torch.stack([(cols - width / 2) / focal, -(rows - height / 2) / focal,
                            -torch.ones_like(rows)], dim=-1).reshape(-1, 3)
    d_world = d_camera @ pose[:3, :3].T          # R d for every row d
    return d_world / d_world.norm(dim=-1, keepdim=True)


def weights(sigmas, deltas):
    """Each sample's share of the pixel, w_i = T_i α_i, for (rays, samples) densities and
    stretches: α_i = 1 − exp(−σ_i δ_i), T_i = exp(−Σ_{j<i} σ_j δ_j) (the light that reaches i)."""
    optical = sigmas * deltas                          # σ_i δ_i
    alphas = 1 - torch.exp(-optical)
    before = torch.cumsum(optical, dim=-1) - optical   # Σ over the samples before i only
    return torch.exp(-before) * alphas


@functools.lru_cache(maxsize=None)
def test_psnr_with_samples(n_samples):
    """The notebook's NeRF at the rule's L (train_nerf: seed 0, this budget's views, width,
    steps and rays) with ``n_samples`` samples per ray: its PSNR on the test views in dB."""
    from helpers import bandwidth, nerf, scene, settings
    from helpers.encoders import PositionalEncoding
    nb = settings.NOTEBOOK_11
    views = scene.make_views(nb["size"], nb["n_train"], nb["n_val"], nb["n_test"])
    rule = bandwidth.frequency_scale("pe", bandwidth.samples_per_unit(
        2 * views["train"].focal / scene.RADIUS))
    torch.manual_seed(0)
    model = nerf.NeRF(PositionalEncoding(rule, in_dim=3), PositionalEncoding(4, in_dim=3),
                      nb["hidden"], nb["n_layers"])
    lr = 5e-3 if nb["hidden"] <= 128 else 1e-3
    run = nerf.fit_nerf(model, views, scene.BOUNDS, nb["steps"], lr, nb["batch_rays"],
                        n_samples, eval_every=nb["eval_every"], device=settings.DEVICE,
                        progress=False)
    return run.test_psnr


def psnr_with_4_samples():
    """In the notebook: train_nerf(lambda: PositionalEncoding(L_RULE, in_dim=3),
    n_samples=4).test_psnr"""
    return test_psnr_with_samples(4)
