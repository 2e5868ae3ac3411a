"""The map state between builds and the layout plan (core/map_state.py)."""

import numpy as np
import pytest

from tsne_assets.core.map_state import MapState, added_facet, layout_settings, load_state, plan_document, plan_layout

SETTINGS = layout_settings("efficientnet_lite0", None, 30.0, 0, None)


def state(ids=("a", "b", "c", "d"), placed=(0, 0, 0, 1)):
    n = len(ids)
    return MapState(
        ids=tuple(ids),
        positions=np.array([(i, 0) for i in range(n)]),
        xy=np.arange(2 * n, dtype=float).reshape(n, 2),
        cols=n + 1,
        rows=2,
        placed=np.array(placed, dtype=bool),
        added=("2026-01-01",) * n,
        settings=SETTINGS,
        full_preservation=0.5,
    )


def test_state_round_trips_through_json():
    before = state()
    after = MapState.from_json(before.to_json())
    assert after.ids == before.ids and after.added == before.added and after.settings == SETTINGS
    assert (after.positions == before.positions).all() and (after.placed == before.placed).all()
    assert np.allclose(after.xy, before.xy) and after.full_preservation == 0.5


def test_kept_new_and_removed_images_by_id():
    plan = plan_layout(state(), ["c", "e", "a"], SETTINGS, relayout_share=0.5)
    assert not plan.full and plan.reason == "1 new, 2 removed"
    assert plan.kept.tolist() == [0, 2] and plan.previous.tolist() == [2, 0] and plan.new.tolist() == [1]
    document = plan_document(plan, state(), ["c", "e", "a"])
    assert document["positions"] == [[2, 0], [0, 0]] and document["cols"] == 5


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"relayout": True}, "asked for (relayout)"),
        ({"settings": layout_settings("efficientnet_lite0", None, 30.0, 1, None)}, "layout settings changed"),
        ({"relayout_share": 0.3}, "40% of the images placed since the last full layout"),
    ],
)
def test_a_fresh_layout_when_asked_settings_change_or_past_the_policy(kwargs, reason):
    settings = kwargs.pop("settings", SETTINGS)
    # "d" was placed before and "e" is new: 2 of 5 placed since the last full layout.
    plan = plan_layout(state(), ["a", "b", "c", "d", "e"], settings, **kwargs)
    assert plan.full and plan.reason.startswith(reason)
    assert plan_document(plan, state(), list("abcde"))["added"] == ["2026-01-01"] * 4  # dates survive


def test_first_build_and_invalid_states():
    assert plan_layout(None, ["a"], SETTINGS).reason == "first build"
    with pytest.raises(ValueError, match="distinct"):
        MapState(("a", "b"), np.zeros((2, 2)), np.zeros((2, 2)), 2, 2, np.zeros(2), ("", ""), SETTINGS, 0.0)
    with pytest.raises(ValueError, match="relayout_share"):
        plan_layout(state(), ["a"], SETTINGS, relayout_share=1.5)


def test_the_added_facet_appears_once_the_map_has_grown():
    assert added_facet(["2026-01-05"] * 3) is None
    facet = added_facet(["2026-01-05", "2026-01-05", "2026-11-25"])
    assert (facet["field"], facet["kind"], sum(facet["counts"])) == ("Added", "date", 3)


def test_an_unreadable_state_names_its_file_and_the_way_out_and_a_relayout_ignores_it(tmp_path):
    assert load_state(tmp_path / "none.json") is None
    for text in ("{not json", '{"format": 1}'):
        path = tmp_path / "maps" / "c.json"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
        with pytest.raises(ValueError, match=r"map state .*c\.json cannot be read.*--relayout"):
            load_state(path)
        assert load_state(path, ignore_errors=True) is None
