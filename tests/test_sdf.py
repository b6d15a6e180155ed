"""helpers.sdf: analytic distances, surface sampling, SIREN's loss, the shape measures."""
import math

import torch

import helpers
from helpers import look_inside, sdf


def test_sphere_and_box_have_their_analytic_values():
    p = torch.tensor([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.25, 0.0]])
    assert torch.allclose(sdf.sphere_sdf(p, radius=0.5), torch.tensor([-0.5, 0.5, -0.25]))
    q = torch.tensor([[0.0, 0.0, 0.0], [0.5, 0.0, 0.0], [0.5, 0.5, 0.0], [0.5, 0.5, 0.5],
                      [0.1, 0.0, 0.0]])
    expected = torch.tensor([-0.3, 0.2, math.sqrt(0.08), math.sqrt(0.12), -0.2])
    assert torch.allclose(sdf.box_sdf(q, half=(0.3, 0.3, 0.3)), expected, atol=1e-6)
    assert torch.allclose(sdf.torus_sdf(torch.tensor([[0.6, 0.0, 0.0], [0.0, 0.0, 1.0]])),
                          torch.tensor([-0.06, 0.34]))
    assert torch.allclose(sdf.capsule_sdf(torch.tensor([[0.3, 0.0, 0.0], [0.0, 1.0, 0.0]])),
                          torch.tensor([0.25, 0.15]))


def test_the_shape_is_a_distance_with_unit_gradient():
    points = torch.rand(4000, 3) * 2 - 1
    _, grad = sdf.gradient(sdf.shape_sdf, points)
    assert torch.allclose(grad.norm(dim=-1), torch.ones(4000), atol=1e-4)
    # outside, a union's min is the exact distance: a sphere of that radius touches the shape
    p = torch.tensor([[0.0, 0.0, 0.95]])
    f = sdf.shape_sdf(p)
    ring = sdf.torus_sdf(p)
    assert torch.allclose(f, ring) and f > 0
    inside = (sdf.shape_sdf(points) < 0).float().mean()
    assert 0.02 < inside < 0.3


def test_sampled_surface_points_lie_on_the_surface_with_unit_normals():
    points, normals = sdf.sample_surface(500, seed=3)
    assert points.shape == normals.shape == (500, 3)
    assert sdf.shape_sdf(points).abs().max() < 1e-4
    assert torch.allclose(normals.norm(dim=-1), torch.ones(500), atol=1e-5)
    outward = sdf.shape_sdf(points + 0.01 * normals)
    assert (outward > 0.005).float().mean() > 0.95  # normals point out
    again, _ = sdf.sample_surface(500, seed=3)
    assert torch.equal(points, again)


def test_gradient_matches_05s_derivative_helper():
    torch.manual_seed(0)
    model = helpers.Siren(3, 1, hidden=32, n_layers=3, omega0=10)
    x = torch.rand(50, 3) * 2 - 1
    _, grad = sdf.gradient(model, x)
    grad05, _ = look_inside.model_derivatives(model, x, channels="mean")
    assert torch.allclose(grad, grad05, atol=1e-5)


def test_siren_loss_is_zero_for_the_true_distance_except_the_off_surface_term():
    surface, normals = sdf.sample_surface(200)
    off = torch.rand(200, 3) * 2 - 1
    total, parts = sdf.siren_sdf_loss(sdf.shape_sdf, surface, normals, off)
    assert parts["surface"] < 1e-4 and parts["normal"] < 1e-4 and parts["eikonal"] < 1e-4
    assert 0 < parts["off_surface"] < 0.2  # only points near the surface pay it
    assert math.isclose(float(total.detach()), sum(sdf.WEIGHTS[k] * v for k, v in parts.items()),
                        rel_tol=1e-4)
    shrunk = lambda p: 0.5 * sdf.shape_sdf(p)  # noqa: E731  (|∇f| = 1/2: eikonal sees it)
    _, parts = sdf.siren_sdf_loss(shrunk, surface, normals, off)
    assert abs(parts["eikonal"] - 0.5) < 1e-3


def test_siren_loss_trains_through_the_gradient():
    model = helpers.Siren(3, 1, hidden=16, n_layers=2, omega0=5)
    surface, normals = sdf.sample_surface(64)
    total, _ = sdf.siren_sdf_loss(model, surface, normals, torch.rand(64, 3) * 2 - 1)
    total.backward()
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in model.parameters())


def test_inside_scores_and_surface_distance():
    true = torch.tensor([-1.0, -1.0, 1.0, 1.0])
    scores = sdf.inside_scores(torch.tensor([-1.0, 1.0, -1.0, 1.0]), true)
    assert scores["sign_accuracy"] == 0.5 and math.isclose(scores["iou"], 1 / 3, rel_tol=1e-6)
    surface, _ = sdf.sample_surface(300)
    exact = sdf.surface_distance(sdf.shape_sdf, surface)
    assert exact["true_to_learned"] < 1e-4 and exact["learned_to_true"] < 1e-3
    grown = lambda p: sdf.shape_sdf(p) - 0.05  # noqa: E731  (the surface moved out by 0.05)
    moved = sdf.surface_distance(grown, surface)
    assert abs(moved["true_to_learned"] - 0.05) < 0.01
    assert abs(moved["learned_to_true"] - 0.05) < 0.01


def test_tangent_plane_sdf_is_hoppes_distance_to_the_nearest_samples_plane():
    points = torch.tensor([[0.0, 0.0, 0.5], [0.0, 0.0, -0.5]])
    normals = torch.tensor([[0.0, 0.0, 1.0], [0.0, 0.0, -1.0]])
    fn = sdf.tangent_plane_sdf(points, normals)
    query = torch.tensor([[0.3, 0.1, 0.7], [0.0, 0.2, 0.1], [0.1, 0.0, -0.9]])
    assert torch.allclose(fn(query), torch.tensor([0.2, -0.4, 0.4]))
    _, grad = sdf.gradient(fn, query)  # differentiable: its gradient is the sample's normal
    assert torch.allclose(grad, torch.tensor([[0.0, 0, 1], [0, 0, 1], [0, 0, -1]]))
    surface, normal = sdf.sample_surface(5000, seed=4)
    cube = torch.rand(3000, 3, generator=torch.Generator().manual_seed(0)) * 2 - 1
    scores = sdf.inside_scores(sdf.tangent_plane_sdf(surface, normal)(cube), sdf.shape_sdf(cube))
    assert scores["sign_accuracy"] > 0.97 and scores["iou"] > 0.7


def test_eikonal_error_is_zero_for_a_distance_and_half_for_half_of_one():
    cube = torch.rand(2000, 3) * 2 - 1
    assert sdf.eikonal_error(sdf.shape_sdf, cube) < 1e-4
    assert abs(sdf.eikonal_error(lambda p: 0.5 * sdf.shape_sdf(p), cube) - 0.5) < 1e-4
    assert abs(sdf.eikonal_error(lambda p: 3 * sdf.sphere_sdf(p), cube, chunk=100) - 2) < 1e-4
