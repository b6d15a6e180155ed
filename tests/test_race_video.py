"""07's race video: every method side by side at equal wall-clock time, PSNRs ticking."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from helpers import video
from helpers.train import FitResult


def fake(seconds_per_eval: float, colour: int) -> FitResult:
    """A run with 3 evaluations/snapshots (steps 0, 10, 20) taking ``seconds_per_eval`` each."""
    steps, times = [0, 10, 20], [0.0, seconds_per_eval, 2 * seconds_per_eval]
    frames = [(s, np.full((8, 8, 3), colour + 40 * i, np.uint8)) for i, s in enumerate(steps)]
    return FitResult(model=torch.nn.Linear(2, 3), train_psnr=30.0, test_psnr=20.0 + colour / 100,
                     prediction=torch.zeros(8, 8, 3), steps=20, snapshots=frames,
                     history={"step": steps, "seconds": times,
                              "test_psnr": [10.0, 15.0, 20.0 + colour / 100]})


def test_frames_are_at_equal_wall_clock_time():
    fast, slow = fake(1.0, 0), fake(5.0, 100)   # fast ends at 2 s, slow at 10 s
    frames = video.race_frames({"fast": fast, "slow": slow}, n_frames=6, ncols=2)
    assert len(frames) == 6 and len({f.shape for f in frames}) == 1
    assert frames[0].shape[0] % 16 == 0 and frames[0].shape[1] % 16 == 0
    assert frames[0].dtype == np.uint8
    # frame 1 is t = 2 s: the fast run has finished (its last frame), the slow one has not
    # reached its first evaluation after the start, so it still shows its step-0 snapshot;
    # at the end both show their last snapshots
    assert not np.array_equal(frames[0], frames[1]) and not np.array_equal(frames[1], frames[-1])
    assert not np.array_equal(frames[-2], frames[-1])


def test_race_video_writes_one_mp4(tmp_path):
    path = video.race_video({"fast": fake(1.0, 0), "slow": fake(5.0, 100)},
                            path=tmp_path / "race.mp4", fps=4, seconds=2, display=False)
    assert path == tmp_path / "race.mp4" and path.stat().st_size > 1000
    import imageio.v2 as imageio

    assert imageio.get_reader(path).count_frames() == 8


def test_a_run_without_snapshots_is_refused_in_one_sentence():
    empty = fake(1.0, 0)
    empty.snapshots = []
    with pytest.raises(ValueError, match="kept no snapshots"):
        video.race_frames({"relu": empty})
