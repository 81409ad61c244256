"""Wilson, stratified, Newcombe and McNemar against values computed by hand (the Wilson
bounds solve (p - p̂)² = z² p (1 - p) / n, a quadratic, independently of the code's form)."""

import math

import pytest

from guichet.barometer import statistics as st


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        (81, 95, 0.76771401509254, 0.9101391934638317),
        (49, 81, 0.4960547732360616, 0.7043189619200981),
        (15, 20, 0.531299122381256, 0.8881382985923343),
        (4, 20, 0.08065766257979808, 0.41601743225189364),
        (20, 60, 0.22729261523522687, 0.45943133547880305),
        (0, 10, 0.0, 0.2775327998628892),
        (10, 10, 0.7224672001371114, 1.0),
    ],
)
def test_wilson_matches_the_quadratic_roots(k, n, low, high):
    result = st.wilson(k, n)
    assert result[0] == pytest.approx(low, abs=1e-12)
    assert result[1] == pytest.approx(high, abs=1e-12)


def test_small_sample_rules():
    assert st.proportion(3, 4).suppressed
    assert not st.proportion(3, 7).suppressed
    assert st.proportion(3, 7).as_fraction
    assert not st.proportion(30, 70).as_fraction
    assert st.proportion(3, 7).wide  # [0.158, 0.750]
    assert not st.proportion(810, 950).wide


def test_stratified_estimate_by_hand():
    # A: N=100, n=10, k=5 (W=0.25); B: N=300, n=20, k=4 (W=0.75).
    result = st.stratified([st.Stratum(100, 10, 5), st.Stratum(300, 20, 4)])
    assert result.share == pytest.approx(0.275, abs=1e-15)
    # 0.25² x 0.9 x 0.25 / 9 + 0.75² x (1 - 20/300) x 0.16 / 19
    variance = 0.0015625 + 0.5625 * (14 / 15) * 0.16 / 19
    assert result.variance == pytest.approx(variance, abs=1e-15)
    effective = 0.275 * 0.725 / variance
    assert result.effective_base == pytest.approx(effective)
    assert result.ci95 == pytest.approx(st.wilson(0.275 * effective, effective))


def test_stratified_census_has_no_variance():
    result = st.stratified([st.Stratum(5, 5, 4), st.Stratum(20, 20, 10)])
    assert result.share == pytest.approx(0.2 * 0.8 + 0.8 * 0.5)
    assert result.variance == 0
    assert result.ci95 == (result.share, result.share)


def test_newcombe_reproduces_the_published_example():
    # Newcombe (1998), Statistics in Medicine 17:873, example (a): 56/70 - 48/80.
    difference, (low, high) = st.newcombe(56, 70, 48, 80)
    assert difference == pytest.approx(0.2)
    assert round(low, 4) == 0.0524
    assert round(high, 4) == 0.3339


def test_mcnemar():
    statistic, p_value = st.mcnemar(10, 2)
    assert statistic == pytest.approx(64 / 12)
    assert p_value == pytest.approx(math.erfc(math.sqrt(64 / 24)))
    assert round(p_value, 5) == 0.02092
    assert st.mcnemar(0, 0) == (0.0, 1.0)


def test_median_and_nearest_rank_percentile():
    values = [5, 1, 3, 2, 4, 10, 7, 6, 9, 8]
    assert st.median(values) == 5.5
    assert st.percentile(values, 90) == 9
    assert st.percentile([4], 90) == 4
    assert st.median([]) is None


def test_stratified_share_of_one_uses_the_answers_for_its_interval():
    result = st.stratified([st.Stratum(100, 10, 10), st.Stratum(50, 5, 5)])
    assert result.share == 1.0
    assert result.variance == 0
    assert result.ci95 == st.wilson(15, 15)
