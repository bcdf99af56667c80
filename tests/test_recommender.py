"""The recommender library: one contract test class run against every model (implicit's test-mixin
style) on a checkerboard matrix, plus readers, splits, metrics, persistence and the evaluate CLI.

Checkerboard: user u has every item of its own parity except item u (held out). Collaborative
filtering must rank the held-out diagonal item first among the items the user has not touched.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender.als import ALS
from recommender.base import Recommender, load_model
from recommender.ease import EASE
from recommender.evaluate import main, prepare
from recommender.hybrid import Hybrid, normalise
from recommender.interactions import Events, IdMap, Interactions
from recommender.item_knn import ItemKNN
from recommender.metrics import Truth, ranking_metrics
from recommender.popularity import Popularity
from recommender.readers import InteractionFileError, parse_lines, read_events
from recommender.splits import TEST, TRAIN, VALIDATION, holdout_count, leave_last_out, random_holdout
from recommender.two_tower import TwoTower

N = 16
USERS = [f"u{u}" for u in range(N)]
ITEM = 100  # raw item id of dense item i is ITEM + i: ints on purpose, users are strings


def checkerboard() -> Interactions:
    users, items = [], []
    for u in range(N):
        for i in range(N):
            if (u + i) % 2 == 0 and i != u:
                users.append(f"u{u}")
                items.append(ITEM + i)
    return Interactions.from_events(Events.from_columns(users, items))


@pytest.fixture(scope="module")
def board() -> Interactions:
    return checkerboard()


class RecommenderContract:
    """Every model passes these; a subclass only says how to build its model."""

    ranks_by_taste: ClassVar[bool] = True  # False for popularity: it knows no taste

    @classmethod
    def make(cls) -> Recommender:
        raise NotImplementedError

    @pytest.fixture(scope="class")
    @classmethod
    def model(cls, board: Interactions) -> Recommender:
        return cls.make().fit(board)

    def test_held_out_diagonal_ranks_first(self, model: Recommender) -> None:
        if not self.ranks_by_taste:
            pytest.skip("popularity ranks by count, not by taste")
        ids, scores = model.recommend(USERS, n=1)
        assert ids[:, 0].tolist() == [ITEM + u for u in range(N)]
        assert np.isfinite(scores).all()

    def test_batch_shape_order_and_raw_ids(self, model: Recommender, board: Interactions) -> None:
        ids, scores = model.recommend(USERS[:3], n=5)
        assert ids.shape == scores.shape == (3, 5)
        assert ids.dtype.kind == "i" and set(ids.ravel().tolist()) <= set(range(ITEM, ITEM + N))
        assert (np.diff(scores, axis=1) <= 1e-6).all()  # best first

    def test_training_items_are_excluded_by_default(self, model: Recommender, board: Interactions) -> None:
        ids, scores = model.recommend(USERS, n=N)
        for u, row, row_scores in zip(USERS, ids, scores, strict=True):
            seen = set(board.items.raw(board.rows([board.users.index(u)]).indices).tolist())
            shown = {int(i) for i, s in zip(row, row_scores, strict=True) if math.isfinite(s)}
            assert len(shown) == N - len(seen) and not shown & seen

    def test_exclude_none_can_return_training_items(self, model: Recommender) -> None:
        ids, scores = model.recommend(["u0"], n=N, exclude=None)
        assert np.isfinite(scores).all() and len(set(ids[0].tolist())) == N

    def test_only_in_stock_candidates_and_never_bought(self, model: Recommender) -> None:
        # the room sells items 100..107; 100 (u0's favourite) is sold out, u2 bought 102
        in_stock = [ITEM + i for i in range(1, 8)] + ["never-seen-product"]
        bought = [[], [], [ITEM + 2]]
        ids, _ = model.recommend(["u0", "u1", "u2"], n=3, exclude=bought, candidates=in_stock)
        assert ids.shape == (3, 3)
        for row, gone in zip(ids.tolist(), bought, strict=True):
            assert set(row) <= set(in_stock[:-1]) - set(gone)
        assert ITEM not in ids

    def test_fewer_candidates_than_n_pads_with_minus_inf(self, model: Recommender) -> None:
        ids, scores = model.recommend(
            ["u0", "u2"], n=4, exclude=[[ITEM + 3], []], candidates=[ITEM + 3, ITEM + 5]
        )
        assert ids.shape == (2, 2)
        assert ids[0].tolist()[0] == ITEM + 5 and ids[0][1] == -1 and scores[0][1] == -np.inf
        assert sorted(ids[1].tolist()) == [ITEM + 3, ITEM + 5] and np.isfinite(scores[1]).all()

    def test_unknown_user_raises(self, model: Recommender) -> None:
        with pytest.raises(KeyError, match="nobody"):
            model.recommend(["nobody"], n=3)

    def test_save_load_round_trip(self, model: Recommender, tmp_path: Path) -> None:
        before = model.recommend(USERS, n=5, candidates=[ITEM + i for i in range(N)])
        folder = model.save(tmp_path / "model")
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["model"] == model.name
        again = load_model(folder)
        assert type(again) is type(model)
        after = again.recommend(USERS, n=5, candidates=[ITEM + i for i in range(N)])
        np.testing.assert_array_equal(before[0], after[0])
        np.testing.assert_array_equal(before[1], after[1])
        with np.load(folder / "arrays.npz", allow_pickle=False) as arrays:  # no pickled objects inside
            assert all(arrays[k].dtype != object for k in arrays.files)

    def test_fold_in_of_a_new_viewer_follows_the_signals(self, model: Recommender) -> None:
        if not self.ranks_by_taste:
            pytest.skip("popularity ranks by count, not by taste")
        even, _ = model.recommend_for_history([ITEM + 0, ITEM + 2], n=3)
        assert all(i % 2 == 0 for i in even.tolist())
        # one more, strong signal on the other parity changes the next recommendation
        odd, _ = model.recommend_for_history(
            {ITEM + 0: 1.0, ITEM + 1: 5.0, ITEM + 3: 5.0, ITEM + 5: 5.0}, n=1
        )
        assert odd[0] % 2 == 1 and odd[0] not in (ITEM + 1, ITEM + 3, ITEM + 5)

    def test_similar_items_never_include_the_item(self, model: Recommender) -> None:
        ids, _ = model.similar_items([ITEM + 0, ITEM + 1], n=3)
        assert ids.shape == (2, 3)
        assert ITEM + 0 not in ids[0] and ITEM + 1 not in ids[1]
        if self.ranks_by_taste:
            assert ids[0][0] % 2 == 0 and ids[1][0] % 2 == 1

    def test_clone_is_unfitted_with_same_config(self, model: Recommender) -> None:
        twin = model.clone()
        assert not twin.is_fitted and twin.get_config() == model.get_config()


class TestPopularity(RecommenderContract):
    ranks_by_taste = False

    @classmethod
    def make(cls) -> Recommender:
        return Popularity()


class TestItemKNN(RecommenderContract):
    @classmethod
    def make(cls) -> Recommender:
        return ItemKNN(k=10)


class TestALS(RecommenderContract):
    @classmethod
    def make(cls) -> Recommender:
        return ALS(factors=8, regularization=1.0, alpha=10.0, device="cpu")


class TestALSTorchPath(RecommenderContract):
    """The GPU code path (torch), run on torch's CPU device so it is tested without a GPU."""

    @classmethod
    def make(cls) -> Recommender:
        return ALS(factors=8, regularization=1.0, alpha=10.0, device="torch:cpu")


class TestEASE(RecommenderContract):
    @classmethod
    def make(cls) -> Recommender:
        return EASE()


class TestTwoTower(RecommenderContract):
    @classmethod
    def make(cls) -> Recommender:
        return TwoTower(dim=8, epochs=40, batch_users=8, targets_per_user=4, learning_rate=0.05)


class TestHybrid(RecommenderContract):
    @classmethod
    def make(cls) -> Recommender:
        members = {
            "als": ALS(factors=8, regularization=1.0, alpha=10.0, device="cpu"),
            "itemknn": ItemKNN(k=10),
        }
        return Hybrid(members, weights={"als": 1.0, "itemknn": 0.5})


# -- model-specific behaviour ---------------------------------------------------------------------
def test_als_fold_in_matches_training_and_changes_with_a_new_signal(board: Interactions) -> None:
    model = ALS(factors=8, regularization=1.0, alpha=10.0, device="cpu", iterations=15).fit(board)
    history = board.items.raw(board.rows([0]).indices).tolist()  # u0's items
    vector = model.fold_in(history)
    # folding in u0's own history reproduces u0's trained vector (same closed-form solve)
    np.testing.assert_allclose(vector, model.user_factors[0], atol=0.05)
    top, _ = model.recommend_for_vector(vector, n=1, exclude=history)
    assert top[0] == ITEM + 0
    shifted = model.fold_in({**dict.fromkeys(history, 1.0), ITEM + 1: 20.0, ITEM + 3: 20.0})
    top2, _ = model.recommend_for_vector(shifted, n=1, exclude=[*history, ITEM + 1, ITEM + 3])
    assert top2[0] != top[0] and top2[0] % 2 == 1


def test_two_tower_user_vector_is_numpy_fold_in(board: Interactions) -> None:
    model = TwoTower(dim=8, epochs=10, batch_users=8, targets_per_user=4, learning_rate=0.05).fit(board)
    v = model.user_vector([ITEM + 0, ITEM + 2])
    assert v.shape == (8,) and v.dtype == np.float32
    np.testing.assert_allclose(
        model.user_vectors[0], model.user_vector(board.items.raw(board.rows([0]).indices).tolist()), rtol=1e-5
    )


def test_serving_modules_never_import_tensorflow(board: Interactions, tmp_path: Path) -> None:
    """The bot imports the library and loads an exported two-tower model: TensorFlow stays out."""
    model = TwoTower(dim=8, epochs=5, batch_users=8, targets_per_user=4).fit(board)
    folder = model.save(tmp_path / "tt")
    code = (
        "import sys; import recommender, recommender.base, recommender.evaluate, recommender.hybrid, "
        "recommender.two_tower, recommender.als, recommender.ease, recommender.item_knn\n"
        "from recommender.base import load_model\n"
        f"m = load_model({str(folder)!r}); m.recommend(['u0'], n=3); m.recommend_for_history([{ITEM}], n=3)\n"
        "assert 'tensorflow' not in sys.modules, 'tensorflow was imported'\n"
        "assert not any(k == 'bot' or k.startswith(('bot.', 'training', 'generation')) for k in sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[1])


def test_hybrid_chooses_weights_on_its_own_validation_split(board: Interactions) -> None:
    members = {"popularity": Popularity(), "itemknn": ItemKNN(k=10), "ease": EASE()}
    model = Hybrid(members).fit(board)
    assert model.weights is not None and sum(model.weights.values()) > 0
    assert model.weights["itemknn"] > 0 or model.weights["ease"] > 0  # taste beats counting here
    ids, _ = model.recommend(USERS, n=1)
    assert ids[:, 0].tolist() == [ITEM + u for u in range(N)]


def test_item_knn_damping_keeps_thin_evidence_low() -> None:
    # viewer a: x (weight 2) and y (weight 3). p's neighbour x is strong (cosine 0.82); q's only link is
    # y through one shared user out of six each (cosine 1/6)
    pairs = [("a", "x", 2), ("a", "y", 3), ("b", "x", 1), ("b", "p", 1), ("c", "x", 1), ("c", "p", 1)]
    pairs += [("d", "y", 1), ("d", "q", 1)] + [(u, "y", 1) for u in "fghi"] + [(u, "q", 1) for u in "ejklm"]
    users, items, weights = zip(*pairs, strict=True)
    data = Interactions.from_events(Events.from_columns(list(users), list(items), weights=list(weights)))
    undamped = ItemKNN(k=5, shrink=0.0, damping=0.0).fit(data)
    ids, scores = undamped.recommend(["a"], n=2, candidates=["p", "q"])
    # the design's formula as written: a weighted average, so one faint link earns q the full 3.0
    assert ids[0].tolist() == ["q", "p"] and scores[0].tolist() == pytest.approx([3.0, 2.0])
    ids, scores = ItemKNN(k=5, shrink=0.0, damping=1.0).fit(data).recommend(["a"], n=2, candidates=["p", "q"])
    assert ids[0].tolist() == ["p", "q"] and scores[0, 1] < 0.5


def test_popularity_window_counts_only_recent_pairs() -> None:
    events = Events.from_columns(
        ["a", "b", "c", "a", "b"], ["old", "old", "old", "new", "new"], [0, 0, 0, 90, 95]
    )
    data = Interactions.from_events(events)
    assert Popularity().fit(data).recommend_for_history([], n=1)[0][0] == "old"
    assert Popularity(window_s=30).fit(data).recommend_for_history([], n=1)[0][0] == "new"


def test_normalise_ignores_non_finite_scores() -> None:
    scores = np.array([[1.0, 3.0, -np.inf, 5.0]], np.float32)
    z = normalise(scores, "z")
    np.testing.assert_allclose(z[0, [0, 1, 3]], [-1.2247449, 0.0, 1.2247449], rtol=1e-5)
    assert z[0, 2] == z[0, 0]
    np.testing.assert_allclose(normalise(scores, "minmax")[0], [0.0, 0.5, 0.0, 1.0])


# -- reading files --------------------------------------------------------------------------------
def test_bad_csv_rows_are_reported_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "signals.csv"
    path.write_text(
        "user_id,item_id,timestamp,weight\n"
        "alice,7,1700000000,1\n"
        "bob,,1700000001,1\n"  # line 3: empty item
        "carol,9,yesterday,1\n"  # line 4: bad timestamp
        "\n"
        "dave,9,1700000003,-2\n"  # line 6: negative weight
        "erin,9\n"  # line 7: too few fields
        "frank,12,2024-05-01T10:00:00,2.5\n"
    )
    events = read_events(path)
    assert events.users.tolist() == ["alice", "frank"]
    assert events.weights.tolist() == [1.0, 2.5]
    assert [(r.line, r.reason.split()[0]) for r in events.bad_rows] == [
        (3, "empty"),
        (4, "timestamp"),
        (6, "weight"),
        (7, "expected"),
    ]
    with pytest.raises(InteractionFileError) as err:
        read_events(path, strict=True)
    message = str(err.value)
    assert "line 3" in message and "line 4" in message and "line 6" in message and "line 7" in message
    assert len(err.value.bad_rows) == 4


def test_csv_without_header_and_header_in_other_order() -> None:
    plain = parse_lines(["1,10,5", "2,11,6,3"])
    assert plain.items.tolist() == ["10", "11"] and plain.weights.tolist() == [1.0, 3.0]
    named = parse_lines(["timestamp,item_id,user_id", "5,10,1"])
    assert named.users.tolist() == ["1"] and named.items.tolist() == ["10"] and named.timestamps[0] == 5.0


def test_movielens_and_taobao_formats() -> None:
    ml = parse_lines(["196\t242\t3\t881250949", "186\t302\t3\t891717742"], name="u.data")
    assert ml.users.tolist() == ["196", "186"] and ml.weights.tolist() == [3.0, 3.0]
    tb = parse_lines(["1,2268318,2520377,pv,1511544070", "1,2333346,2520771,buy,1511561733", "1,5,6,zap,7"])
    assert tb.weights.tolist() == [1.0, 4.0] and tb.bad_rows[0].line == 3
    custom = parse_lines(["1,2,3,buy,4"], behavior_weights={"pv": 1, "buy": 10})
    assert custom.weights.tolist() == [10.0]


def test_a_file_with_no_usable_rows_is_an_error() -> None:
    with pytest.raises(InteractionFileError, match="no usable"):
        parse_lines(["a,b", "c,d"])


def test_id_map_and_interactions_aggregate_duplicates() -> None:
    events = Events.from_columns(
        ["a", "b", "a", "a"], ["x", "x", "y", "x"], [1, 2, 3, 4], [1.0, 1.0, 1.0, 2.0]
    )
    data = Interactions.from_events(events)
    assert data.users.ids.tolist() == ["a", "b"] and data.items.ids.tolist() == ["x", "y"]
    assert data.matrix.toarray().tolist() == [[3.0, 1.0], [1.0, 0.0]]
    assert data.last_seen is not None and data.last_seen.tolist() == [4.0, 3.0, 2.0]
    ids = IdMap([5, 7])
    assert ids.indices([7, 9], missing="mask").tolist() == [1, -1] and ids.raw(
        np.array([1, -1])
    ).tolist() == [7, -1]
    with pytest.raises(KeyError, match="9"):
        ids.indices([9])


# -- metrics, on hand-computed examples -----------------------------------------------------------
def test_metrics_match_hand_computed_values() -> None:
    # user 0: T = {1, 3}, ranked [1, 2, 3] -> hits at 1 and 3
    # user 1: T = {4, 9(unseen)}, ranked [0, 4, -1] -> hit at 2, |T| = 2
    truth = Truth(
        users=np.array([0, 1]),
        items=sp.csr_matrix(([1.0, 1.0, 1.0], ([0, 0, 1], [1, 3, 4])), shape=(2, 6)),
        sizes=np.array([2, 2]),
    )
    top = np.array([[1, 2, 3], [0, 4, -1]])
    got = ranking_metrics(top, truth, k=3, n_items=6)
    d = [1.0, 1 / math.log2(3), 0.5]
    ideal = d[0] + d[1]
    assert got["precision@3"] == pytest.approx((2 / 3 + 1 / 3) / 2)
    assert got["recall@3"] == pytest.approx((2 / 2 + 1 / 2) / 2)
    assert got["ndcg@3"] == pytest.approx(((d[0] + d[2]) / ideal + d[1] / ideal) / 2)
    assert got["map@3"] == pytest.approx(((1 + 2 / 3) / 2 + (1 / 2) / 2) / 2)
    assert got["hr@3"] == 1.0
    assert got["coverage@3"] == pytest.approx(5 / 6)  # items 0..4 were shown


def test_truth_drops_items_already_in_training_and_counts_unseen_ones() -> None:
    train = Interactions.from_events(Events.from_columns(["a", "a", "b"], ["x", "y", "x"]))
    held = Events.from_columns(["a", "a", "a", "b", "b"], ["y", "new", "x", "y", "y"])
    truth = Truth.from_events(held, train)
    # a: y and x were trained on -> T = {new} (unseen, size 1, never hittable); b: T = {y}
    assert truth.users.tolist() == [0, 1] and truth.sizes.tolist() == [1, 1]
    assert truth.items.toarray().tolist() == [[0.0, 0.0], [0.0, 1.0]]


# -- protocol splits: property tests against the rule as written -----------------------------------
def _holdout_by_the_book(users: list[int], seed: int) -> list[bool]:
    key = np.random.default_rng(seed).random(len(users))
    held = [False] * len(users)
    for user in set(users):
        lines = sorted((i for i, u in enumerate(users) if u == user), key=lambda i: key[i])
        n = len(lines)
        count = int(np.clip(math.floor(0.2 * n + 0.5), 1, n - 1))
        for i in lines[:count]:
            held[i] = True
    return held


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=1, max_size=80), st.sampled_from([42, 43, 7]))
def test_random_holdout_reproduces_the_rule(users: list[int], seed: int) -> None:
    got = random_holdout(np.array(users), seed=seed)
    assert got.tolist() == _holdout_by_the_book(users, seed)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 5)), min_size=1, max_size=60))
def test_leave_last_out_reproduces_the_rule(rows: list[tuple[int, int]]) -> None:
    users = np.array([u for u, _ in rows])
    stamps = np.array([t for _, t in rows], dtype=float)
    role = leave_last_out(users, stamps)
    for user in set(users.tolist()):
        lines = sorted((i for i in range(len(rows)) if users[i] == user), key=lambda i: (stamps[i], i))
        expected = [TRAIN] * len(lines)
        if len(lines) >= 3:
            expected[-1], expected[-2] = TEST, VALIDATION
        assert [int(role[i]) for i in lines] == expected


def test_holdout_count_edges() -> None:
    assert holdout_count(np.array([1, 2, 3, 5, 7, 8, 20])).tolist() == [0, 1, 1, 1, 1, 2, 4]


def test_prepare_random8020_and_leave_last_out() -> None:
    users = [f"u{u}" for u in range(5) for _ in range(10)]
    items = [f"i{(u * 3 + j) % 17}" for u in range(5) for j in range(10)]
    events = Events.from_columns(users, items, np.arange(50), np.full(50, 4.0))
    exp = prepare(events, "random8020")
    assert exp.train.nnz == 40 and exp.test.sizes.sum() == 10 and exp.tune_train.nnz == 5 * 6
    assert (exp.train.matrix.data == 1.0).all()  # weights are not used by random8020
    exp = prepare(events, "leave-last-out")
    assert exp.train.nnz == 45 and exp.tune_train.nnz == 40 and len(exp.test) == 5
    assert (exp.train.matrix.data == 4.0).all()


# -- the CLI ---------------------------------------------------------------------------------------
def test_evaluate_cli_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = np.random.default_rng(0)
    lines = ["user_id,item_id,timestamp"]
    for u in range(60):
        taste = u % 3
        for t, item in enumerate(rng.choice(np.arange(taste, 60, 3), size=12, replace=False)):
            lines.append(f"user{u},{item},{1000 + t}")
    lines.insert(5, "broken,row")
    path = tmp_path / "log.csv"
    path.write_text("\n".join(lines) + "\n")
    code = main(
        [
            "evaluate",
            "--interactions",
            str(path),
            "--json",
            "--models",
            "popularity,itemknn,als,hybrid",
            "--no-progress",
        ]
    )
    assert code == 0
    out = capsys.readouterr()
    result: dict[str, Any] = json.loads(out.out)
    assert result["protocol"] == "random8020" and list(result["models"]) == [
        "popularity",
        "itemknn",
        "als",
        "hybrid",
    ]
    keys = [
        "precision@10",
        "recall@10",
        "ndcg@10",
        "map@10",
        "hr@10",
        "coverage@10",
        "train_s",
        "p50_ms",
        "p99_ms",
    ]
    for row in result["models"].values():
        assert list(row) == keys and all(isinstance(v, float) for v in row.values())
    assert result["models"]["itemknn"]["ndcg@10"] > result["models"]["popularity"]["ndcg@10"]
    assert "line 6" in out.err  # the broken row, reported with its line number
    assert (
        main(
            [
                "--interactions",
                str(path),
                "--protocol",
                "leave-last-out",
                "--models",
                "popularity",
                "--no-progress",
            ]
        )
        == 0
    )
    assert "popularity" in capsys.readouterr().out


def test_evaluate_cli_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--interactions", str(tmp_path / "nope.csv"), "--no-progress"]) == 2
    assert "error" in capsys.readouterr().err
