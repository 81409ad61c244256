"""Proportions and their intervals: Wilson, stratified (weighted) estimates, Newcombe, McNemar.

Pure functions on counts, so that every figure of a report can be checked by hand.
"""

import math
from dataclasses import dataclass

Z95 = 1.959963984540054  # the 97.5th percentile of the standard normal distribution
SUPPRESS_UNDER = 5  # cells with a base under 5 are not shown
FRACTION_UNDER = 10  # bases under 10 are shown as k/n, not as a percentage
WIDE_INTERVAL = 0.20  # intervals wider than 20 points are flagged


def wilson(k: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for k successes out of n (n may be an effective size)."""
    if n <= 0:
        return (0.0, 1.0)
    p = k / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Proportion:
    count: int
    base: int
    share: float
    ci95: tuple[float, float]

    @property
    def suppressed(self) -> bool:
        return self.base < SUPPRESS_UNDER

    @property
    def as_fraction(self) -> bool:
        return self.base < FRACTION_UNDER

    @property
    def wide(self) -> bool:
        return self.ci95[1] - self.ci95[0] > WIDE_INTERVAL

    def as_dict(self) -> dict:
        return {"count": self.count, "share": self.share, "ci95": list(self.ci95)}


def proportion(k: int, n: int) -> Proportion:
    return Proportion(count=k, base=n, share=k / n if n else 0.0, ci95=wilson(k, n))


@dataclass(frozen=True)
class Stratum:
    """One stratum of a stratified estimate: N_h authorities, n_h answered, k_h said yes."""

    population: int
    base: int
    count: int


@dataclass(frozen=True)
class Weighted:
    share: float
    variance: float
    effective_base: float | None
    ci95: tuple[float, float]

    def as_dict(self) -> dict:
        return {
            "share": self.share,
            "variance": self.variance,
            "effective_base": self.effective_base,
            "ci95": list(self.ci95),
        }


def stratified(strata: list[Stratum]) -> Weighted | None:
    """The weighted estimate p = Σ W_h p_h with W_h = N_h / N, over the strata that answered;
    variance Σ W_h² (1 - f_h) p_h (1 - p_h) / (n_h - 1) with f_h = n_h / N_h (finite-population
    correction); a stratum with one answer adds no variance. The interval is Wilson's on the
    effective base n* = p (1 - p) / variance (Kish), the same as the plain interval when the
    sample is simple. A share of 0 or 1 has no variance to estimate from: its interval is
    Wilson's on the number of answers; a census (no variance otherwise) gives the point."""
    kept = [s for s in strata if s.base > 0 and s.population > 0]
    total = sum(s.population for s in kept)
    if not kept or total == 0:
        return None
    share = 0.0
    variance = 0.0
    for s in kept:
        weight = s.population / total
        p = s.count / s.base
        share += weight * p
        if s.base > 1:
            fpc = max(0.0, 1 - s.base / s.population)
            variance += weight * weight * fpc * p * (1 - p) / (s.base - 1)
    if share in (0.0, 1.0):
        # No variance to estimate from: Wilson on the number of answers, as unweighted.
        answers = sum(s.base for s in kept)
        return Weighted(
            share=share,
            variance=variance,
            effective_base=None,
            ci95=wilson(share * answers, answers),
        )
    if variance <= 0:  # a census: every stratum answered in full
        return Weighted(share=share, variance=variance, effective_base=None, ci95=(share, share))
    effective = share * (1 - share) / variance
    return Weighted(
        share=share,
        variance=variance,
        effective_base=effective,
        ci95=wilson(share * effective, effective),
    )


def newcombe(k1: int, n1: int, k2: int, n2: int) -> tuple[float, tuple[float, float]]:
    """Difference p1 - p2 of two independent proportions with Newcombe's hybrid score
    interval (method 10, from the two Wilson intervals)."""
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1)
    l2, u2 = wilson(k2, n2)
    difference = p1 - p2
    low = difference - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = difference + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return difference, (low, high)


def mcnemar(gained: int, lost: int) -> tuple[float, float]:
    """McNemar's test for paired answers: `gained` went from no to yes, `lost` from yes to no.
    Returns the χ² statistic (1 degree of freedom, no continuity correction) and its p-value."""
    discordant = gained + lost
    if discordant == 0:
        return 0.0, 1.0
    statistic = (gained - lost) ** 2 / discordant
    return statistic, math.erfc(math.sqrt(statistic / 2))


def median(values: list[float]) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values: list[float], rank: int) -> float | None:
    """Nearest-rank percentile: the smallest value with at least `rank` % of values at or
    below it (P90 of 10 values is the 9th)."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = max(1, math.ceil(rank / 100 * len(ordered)))
    return ordered[position - 1]


def intervals_overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]
