"""Your own posed photos: NeRF-synthetic scenes in and out, scaled into [-1, 1]^3 (11_tiny_nerf).

The format (Mildenhall et al. 2020's Blender scenes; nerfstudio and instant-ngp read it
too): a folder with ``transforms_train.json``, ``transforms_val.json`` and
``transforms_test.json``, each ``{"camera_angle_x": radians, "frames": [{"file_path":
"./train/r_0", "transform_matrix": 4 x 4}, ...]}``; file paths are relative to the json,
with or without ".png"; images are RGBA PNGs (8 or 16 bit) whose alpha is the object's
coverage. A transform matrix is camera-to-world in the OpenGL convention, x right, y up,
looking along -z: the series' own (:mod:`helpers.rays`), so poses are used as they are.

The encoders are built for [-1, 1]^3, and positional encoding repeats every 2 units, so
the scene is centred and scaled into that box, x_unit = (x_world - centre) / scale, and
the map is kept (:class:`Normalization`). With world bounds given, the box is theirs;
without, from the train cameras: the centre is the point nearest all their optical axes
(least squares, sum_i (I - d_i d_i^T) (c - o_i) = 0) and the half-side is the smallest
half-width of a camera's frustum there, min_i |o_i - c| tan(fov / 2): a cube every
camera sees across (1.45 for the Blender scenes: cameras at 4.03, camera_angle_x 0.6911).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from .rays import as_bounds, camera_rays, focal_from_camera_angle_x
from .scene import FOV, Views, cast, spiral_poses, split_indices

SPLITS = ("train", "val", "test")


@dataclass
class Normalization:
    """x_unit = (x_world - centre) / scale; ``bounds``: the box to sample in, in unit
    coordinates (inside [-1, 1]^3); ``source``: where centre and scale came from."""

    centre: tuple
    scale: float
    source: str
    bounds: tuple = ((-1.0, -1.0, -1.0), (1.0, 1.0, 1.0))

    def to_world(self, points: torch.Tensor) -> torch.Tensor:
        """``(..., 3)`` unit coordinates -> world coordinates (depths: times ``scale``)."""
        return points * self.scale + torch.tensor(self.centre, dtype=points.dtype)

    def poses_to_unit(self, poses: torch.Tensor) -> torch.Tensor:
        out = poses.clone()
        centre = torch.tensor(self.centre, dtype=poses.dtype)
        out[:, :3, 3] = (poses[:, :3, 3] - centre) / self.scale
        return out

    def __str__(self) -> str:
        centre = ", ".join(f"{c + 0.0:.3g}" for c in self.centre)   # + 0.0: no "-0"
        return (f"scene normalised into [-1, 1]^3: centre ({centre}), scale {self.scale:.3g} "
                f"world units per unit, from {self.source}; to override, pass bounds=((x0, y0, "
                f"z0), (x1, y1, z1)) in world units, or normalize=False")


def camera_box(poses: torch.Tensor, focal: float, height: int, width: int
               ) -> tuple[torch.Tensor, float]:
    """The centre ``(3,)`` nearest all optical axes and the half-side min_i |o_i - c| tan(fov/2)."""
    eyes = poses[:, :3, 3].double()
    axes = torch.nn.functional.normalize(-poses[:, :3, 2].double(), dim=-1)
    project = torch.eye(3, dtype=torch.float64) - axes[:, :, None] * axes[:, None, :]
    matrix = project.sum(0)
    if float(torch.linalg.eigvalsh(matrix)[0]) < 1e-3 * len(poses):
        raise ValueError("the cameras' axes are (nearly) parallel, so they meet at no centre; "
                         "pass bounds=((x0, y0, z0), (x1, y1, z1)) in world units.")
    centre = torch.linalg.solve(matrix, (project @ eyes[:, :, None]).sum(0))[:, 0]
    half_angle = math.atan(min(height, width) / 2 / focal)
    half = float((eyes - centre).norm(dim=-1).min()) * math.tan(half_angle)
    return centre.float(), half


def normalize(views, bounds=None, quiet: bool = False):
    """``{"train", "val", "test"}`` of world-space Views (or one Views) -> the same in unit
    coordinates, each carrying its :class:`Normalization`; prints it in one line.

    bounds: the scene's box in world units (its centre and larger half-side set the map);
    None: from the train cameras (:func:`camera_box`)."""
    return _normalized(views, bounds, quiet)


def _normalized(views, bounds, quiet: bool):
    one = isinstance(views, Views)
    split = {"train": views} if one else views
    train = split["train"]
    if bounds is not None:
        low, high = as_bounds(bounds)
        centre, scale = (low + high) / 2, float((high - low).max()) / 2
        source = "the bounds given"
        box = (tuple(((low - centre) / scale).tolist()), tuple(((high - centre) / scale).tolist()))
    else:
        centre, scale = camera_box(train.poses, train.focal, train.height, train.width)
        source = (f"the {len(train)} train cameras (the point nearest their axes; the half-width "
                  f"of the narrowest frustum there)")
        box = ((-1.0,) * 3, (1.0,) * 3)
    norm = Normalization(tuple(round(float(c), 6) for c in centre), scale, source, box)
    if not quiet:
        print(norm)
    out = {name: Views(v.images, None if v.depths is None else v.depths / scale,
                       norm.poses_to_unit(v.poses), v.focal, norm) for name, v in split.items()}
    return out["train"] if one else out


def read_image(path: Path, background: float = 1.0) -> np.ndarray:
    """A PNG/JPEG (8 or 16 bit, grey, RGB or RGBA) -> ``(H, W, 3)`` float32 in [0, 1], alpha
    composited on ``background``: rgb * alpha + background * (1 - alpha)."""
    from PIL import Image

    with Image.open(path) as image:
        if image.mode.startswith("I"):                         # 16-bit grey
            grey = np.asarray(image, dtype=np.float32) / 65535.0
            return np.repeat(grey[..., None], 3, axis=-1)
        rgba = np.asarray(image.convert("RGBA"), dtype=np.float32) / 255.0
    return rgba[..., :3] * rgba[..., 3:] + background * (1 - rgba[..., 3:])


def _resize(images: torch.Tensor, size: int | None) -> torch.Tensor:
    """``(N, H, W, 3)`` -> the longer side ``size``, aspect kept (antialiased bilinear)."""
    height, width = images.shape[1:3]
    if size is None or size == max(height, width):
        return images
    factor = size / max(height, width)
    shape = (max(1, round(height * factor)), max(1, round(width * factor)))
    out = torch.nn.functional.interpolate(images.permute(0, 3, 1, 2), size=shape,
                                          mode="bilinear", antialias=True, align_corners=False)
    return out.permute(0, 2, 3, 1).clamp(0, 1)


def read_transforms(json_path: Path, size: int | None = None, background: float = 1.0) -> Views:
    """One ``transforms_*.json`` -> world-space :class:`Views` (focal scaled with the resize)."""
    try:
        meta = json.loads(Path(json_path).read_text())
        angle, frames = meta.get("camera_angle_x"), meta["frames"]
    except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as error:
        raise ValueError(f"{json_path} is not a NeRF-synthetic transforms file ({error}): it "
                         f"needs camera_angle_x (radians) and frames.") from None
    images, poses = [], []
    for frame in frames:
        path = Path(json_path).parent / frame["file_path"]
        if not path.is_file():
            path = next((path.with_name(path.name + ext) for ext in (".png", ".jpg", ".jpeg")
                         if path.with_name(path.name + ext).is_file()), path)
        if not path.is_file():
            raise OSError(f"{path} (file_path in {json_path.name}) does not exist.")
        images.append(torch.from_numpy(read_image(path, background)))
        poses.append(torch.tensor(frame["transform_matrix"], dtype=torch.float32))
    if not images or len({tuple(i.shape) for i in images}) > 1:
        raise ValueError(f"{json_path} needs at least one frame, all of one size.")
    width = images[0].shape[1]
    if angle is None and "fl_x" not in meta:
        raise ValueError(f"{json_path} has no camera_angle_x (the horizontal field of view, "
                         f"in radians) nor fl_x (the focal length in pixels).")
    focal = (float(meta["fl_x"]) if angle is None
             else focal_from_camera_angle_x(width, float(angle)))
    stack = _resize(torch.stack(images), size)
    return Views(stack, None, torch.stack(poses), focal * stack.shape[2] / width)


def _split_one(views: Views) -> dict[str, Views]:
    """One file's views -> train/val/test: every 8th view (from 0) to test, every 8th
    from 4 to val (the last view when there are fewer than 5), the rest to train."""
    n = len(views)
    if n < 3:
        raise ValueError(f"{n} views cannot be split into train, val and test; give at least 3.")
    test = list(range(0, n, 8))
    val = list(range(4, n, 8)) or [n - 1]
    train = [i for i in range(n) if i not in test + val]
    print(f"one transforms file: every 8th view held out for test ({len(test)}), every 8th "
          f"from the 5th for val ({len(val)}), {len(train)} to train")
    return {"train": views.subset(train), "val": views.subset(val), "test": views.subset(test)}


def load_views(path, size: int | None = None, split: str | None = None, bounds=None,
               background: float = 1.0, normalize: bool = True, quiet: bool = False):
    """A NeRF-synthetic scene -> ``{"train", "val", "test"}`` of :class:`Views` (like
    :func:`helpers.scene.make_views`), or the one named by ``split``.

    path: a folder with transforms_{train,val,test}.json (or transforms.json), or one json
    (transforms_train.json reads its siblings too); a single file is split, and said so.
    size: the longer side in pixels (aspect kept, the focal scaled with it); None keeps it.
    background: the grey level RGBA images are composited on (1.0: white, as in NeRF).
    normalize: centre and scale into [-1, 1]^3 (:func:`normalize`, with world ``bounds``
    if given; one printed line says how, unless ``quiet``).
    """
    path = Path(path)
    if not path.exists():
        raise OSError(f"{path} does not exist; give a folder with transforms_train.json or "
                      f"the json itself.")
    folder = path if path.is_dir() else path.parent
    files = {name: folder / f"transforms_{name}.json" for name in SPLITS}
    if path.is_dir() or path.name == "transforms_train.json":
        files = {name: f for name, f in files.items() if f.is_file()}
    else:
        files = {}
    if "train" in files and "test" in files:
        views = {name: read_transforms(f, size, background) for name, f in files.items()}
        if "val" not in views:
            views.update(_split_one(views["train"]), test=views["test"])
    else:
        single = files.get("train") or (path if path.is_file() else folder / "transforms.json")
        if not single.is_file():
            raise OSError(f"no transforms_train.json or transforms.json in {folder}.")
        views = _split_one(read_transforms(single, size, background))
    if normalize:
        views = _normalized(views, bounds, quiet)
    return views[split] if split else views


def write_nerf_synthetic(folder, size: int, n_train: int, n_val: int, n_test: int,
                         scale: float = 1.0, supersample: int = 2, fov: float = FOV) -> Path:
    """The series' scene in the NeRF-synthetic format, its world scaled by ``scale``.

    RGBA PNGs: rgb the mean colour of a pixel's ``supersample^2`` rays that hit an object,
    alpha the share that hit (the background is transparent); transforms_{split}.json with
    camera_angle_x in radians. Scaling the whole world, cameras included, leaves every
    image as it is: only the poses' positions change.
    """
    from PIL import Image

    folder = Path(folder)
    poses = spiral_poses(n_train + n_val + n_test)
    focal = 0.5 * size / math.tan(math.radians(fov) / 2)
    for name, index in split_indices(n_train, n_val, n_test).items():
        (folder / name).mkdir(parents=True, exist_ok=True)
        frames = []
        for k, i in enumerate(index):
            colour, hits = torch.zeros(size * size, 3), torch.zeros(size * size, 1)
            for j in range(supersample ** 2):
                offset = ((j // supersample + 0.5) / supersample,
                          (j % supersample + 0.5) / supersample)
                rgb, depth = cast(*camera_rays(poses[i], size, size, focal, offset))
                hit = torch.isfinite(depth)[:, None].float()
                colour, hits = colour + rgb * hit, hits + hit
            rgba = torch.cat([colour / hits.clamp(min=1), hits / supersample ** 2], dim=-1)
            pixels = (rgba.reshape(size, size, 4).numpy() * 255 + 0.5).astype(np.uint8)
            Image.fromarray(pixels, "RGBA").save(folder / name / f"r_{k}.png")
            pose = poses[i].clone()
            pose[:3, 3] *= scale
            frames.append({"file_path": f"./{name}/r_{k}", "transform_matrix": pose.tolist()})
        text = json.dumps({"camera_angle_x": math.radians(fov), "frames": frames}, indent=1)
        (folder / f"transforms_{name}.json").write_text(text)
    return folder
