"""checks.expects_default: a notebook's claims about a knob's default stop the notebook
only while the knob has its default; a learner who changed it reads one sentence."""
import pytest

from conftest import ROOT
from helpers import checks

DEFAULT = (1.0, 10.0, 100.0)


def test_at_the_default_a_failed_claim_raises_and_says_it_checked_the_default(capsys):
    with pytest.raises(AssertionError) as caught:
        with checks.expects_default("σ values", [1.0, 10.0, 100.0], DEFAULT):
            raise AssertionError("validation chose σ = 1")  # what `assert ..., msg` raises
    assert str(caught.value) == ("validation chose σ = 1 (with the default σ values (1, 10, "
                                 "100), which this check expects)")
    assert capsys.readouterr().out == ""


def test_at_the_default_a_bare_assert_still_gets_a_message():
    with pytest.raises(AssertionError, match=r"^no message \(with the default NeRF's L 10,"):
        with checks.expects_default("NeRF's L", 10, 10):
            raise AssertionError  # what a bare `assert` raises


def test_at_the_default_other_errors_are_bugs_and_pass_through():
    with pytest.raises(KeyError):
        with checks.expects_default("σ values", DEFAULT, DEFAULT):
            {}["σ = 10"]


def test_a_changed_knob_prints_one_sentence_and_does_not_raise(capsys):
    with checks.expects_default("σ values", [1, 5, 100], DEFAULT):
        raise AssertionError("validation chose σ = 5")
    assert capsys.readouterr().out == (
        "this check expects the default σ values (1, 10, 100); you changed them to (1, 5, 100), "
        "and with yours: validation chose σ = 5 — the cells below still run.\n")


def test_a_changed_knob_turns_any_error_inside_into_the_sentence(capsys):
    with checks.expects_default("NeRF's L", 8, 10):
        {}["pe L=10"]
    out = capsys.readouterr().out
    assert out.startswith("this check expects the default NeRF's L 10; you changed it to 8, "
                          "and with yours it cannot run (KeyError: 'pe L=10')")
    assert out.endswith("the cells below still run.\n")


def test_a_changed_knob_whose_claims_hold_prints_nothing(capsys):
    with checks.expects_default("σ values", [1, 10, 30, 100], DEFAULT):
        assert 23.0 > 19.0
    assert capsys.readouterr().out == ""


def test_the_same_numbers_typed_as_ints_or_a_list_are_the_default():
    with pytest.raises(AssertionError):  # [1, 10, 100] is the default: the claim stops
        with checks.expects_default("σ values", [1, 10, 100], DEFAULT):
            raise AssertionError("σ = 10 lost")


FIRST_HOUR = sorted((ROOT / "notebooks").glob("0[2-6]_*.py"))


def _asserts(path):
    """(source, has a message, inside ``checks.expects_default``) for each assert of a notebook."""
    import ast

    import jupytext

    found = []
    for cell in jupytext.read(path).cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse("\n".join(line for line in cell.source.splitlines()
                                   if not line.lstrip().startswith(("%", "!"))))
        guarded = {id(node) for with_ in ast.walk(tree) if isinstance(with_, ast.With)
                   and "expects_default" in ast.unparse(with_.items[0].context_expr)
                   for node in ast.walk(with_)}
        found += [(ast.unparse(node), node.msg is not None, id(node) in guarded)
                  for node in ast.walk(tree) if isinstance(node, ast.Assert)]
    return found


@pytest.mark.parametrize("path", FIRST_HOUR, ids=lambda p: p.stem)
def test_every_assert_of_the_first_notebooks_says_what_failed(path):
    bare = [source for source, has_message, _ in _asserts(path) if not has_message]
    assert not bare, f"{path.name}: asserts without a message: {bare}"


@pytest.mark.parametrize("name, knob, claims", [
    ("02_plain_mlp", "TOY_STEPS", ["halved_at"]),
    ("03_positional_encoding", "L_NERF", ["L_CHOSEN", "pe_nerf.test_psnr <", "gap_nerf"]),
    ("03_positional_encoding", "STRIPE_STEPS", ["along_u.test_psnr"]),
    ("04_gaussian_fourier_features", "SIGMAS", ["chosen ==", "abs(margin)", "test_10 > test_1",
                                                "test_10 > test_100", "memorised"]),
])
def test_claims_about_a_knobs_default_do_not_stop_a_learner_who_changed_it(name, knob, claims):
    """The knob is set on a line that invites a change, and each claim about its default
    sits in ``checks.expects_default`` (04: ``SIGMAS = [1, 5, 100]`` once ended in a bare
    AssertionError and nothing below ran)."""
    path = ROOT / "notebooks" / f"{name}.py"
    assert any(line.startswith(f"{knob} = ") and "# try others" in line
               for line in path.read_text().splitlines()), f"{name}: no '{knob} = ...  # try others'"
    asserts = _asserts(path)
    for claim in claims:
        matching = [guarded for source, _, guarded in asserts if claim in source]
        assert matching and all(matching), f"{name}: the claim {claim!r} is not in expects_default"
