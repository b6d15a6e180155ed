"""The one bandwidth rule (helpers.bandwidth): the papers' values at the paper's density."""
import math

import pytest

from helpers import bandwidth


def test_the_papers_setting_gives_the_papers_values():
    # 512 px on the protocol: 256 train pixels across [-1, 1]
    d = bandwidth.samples_per_unit(256)
    assert d == 128
    assert bandwidth.frequency_scale("gauss", d) == pytest.approx(10.0)
    assert bandwidth.frequency_scale("siren", d) == pytest.approx(30.0)
    assert bandwidth.frequency_scale("pe", d) == 8          # top octave 2^7 pi = pi d


def test_sound_counts_train_samples_not_all_samples():
    # 1 s at 8 kHz, even samples train: 4000 across 2 units
    d = bandwidth.samples_per_unit(8000 / 2)
    assert bandwidth.frequency_scale("siren", d) == pytest.approx(30 * 2000 / 128)  # ~469


def test_scattered_samples_count_as_a_grid_and_factor_scales():
    d = bandwidth.scattered_samples_per_unit(64 * 64, dims=2)
    assert d == pytest.approx(32)
    assert bandwidth.frequency_scale("gauss", d, factor=2) == pytest.approx(2 * 10 * 32 / 128)
    assert bandwidth.knobs("siren", d) == {"omega0": pytest.approx(7.5)}
    assert bandwidth.knobs("hashgrid", d) == {}
    values = bandwidth.sweep("siren", 128)
    assert min(values.values()) < 30 < max(values.values())
    assert math.isclose(values[1.0], 30)


def test_bad_input_says_what_to_do():
    with pytest.raises(ValueError, match="choose one of"):
        bandwidth.frequency_scale("relu", 10)
    with pytest.raises(ValueError, match="positive"):
        bandwidth.samples_per_unit(0)
