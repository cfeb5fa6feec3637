"""Sampling noise: whether a count in a batch is beyond a share bound by more than chance.

The schema's share bounds (`max_null_fraction`, `1 - domain.min_mass`, `1 - range.min_mass`) bound the share in
the data the batches are drawn from. Inference widens them only for the uncertainty of the sample it saw; the
noise of the batch being judged depends on that batch's size, so it is judged here, once: a batch of n rows
breaks a bound p when its count k is improbable for n draws at share p, P(Binomial(n, p) >= k) < ALPHA. A bound
of 0 makes any count an error (the bound as written); at larger bounds a small batch needs a larger share
before it is called an error (3 of 10 values beyond a 10% bound is chance, p = 0.07; 40 of 100 is not).
"""

from __future__ import annotations

import math
from collections.abc import Callable

#: The false-alarm rate per judged bound for a batch drawn from data that is exactly at the bound: the one-sided
#: normal tail beyond three standard deviations, 1 - Phi(3) = 0.135% (the z = 3 the checks used before, now
#: with the exact binomial tail instead of the normal approximation, which is too narrow on the side that
#: matters for small shares). A column sitting below its bound, as inferred bounds do, alarms less often still.
ALPHA = 0.00135


def binomial_sf(count: int, trials: int, share: float) -> float:
    """P(X >= count) for X ~ Binomial(trials, share), exact (summed in log space from the mode outward).

    Example:
        >>> round(binomial_sf(3, 10, 0.1), 4)
        0.0702
    """
    if count <= 0:
        return 1.0
    if count > trials:
        return 0.0
    if share <= 0.0:
        return 0.0
    if share >= 1.0:
        return 1.0
    log_p, log_q = math.log(share), math.log1p(-share)
    lg_n = math.lgamma(trials + 1)

    def log_term(i: int) -> float:
        return lg_n - math.lgamma(i + 1) - math.lgamma(trials - i + 1) + i * log_p + (trials - i) * log_q

    mode = int((trials + 1) * share)
    if count > mode:
        # The upper tail: terms fall from `count` on; stop once they no longer change the sum.
        return _sum_terms(log_term, count, trials, 1)
    # At or below the mode the tail is at least ~1/2: 1 - the lower tail, summed from count - 1 down.
    return max(0.0, 1.0 - _sum_terms(log_term, count - 1, 0, -1))


def _sum_terms(log_term: Callable[[int], float], start: int, stop: int, step: int) -> float:
    """The sum of exp(log_term(i)) from start to stop (inclusive), stopped when the terms vanish."""
    first = log_term(start)
    total = 0.0
    for i in range(start, stop + step, step):
        term = math.exp(log_term(i) - first)
        total += term
        if term < 1e-17 * total:
            break
    return min(1.0, total * math.exp(first))


def beyond_noise(count: int, rows: int, bound: float, alpha: float = ALPHA) -> bool:
    """True when `count` of `rows` is more than sampling noise above the share `bound`.

    Example:
        >>> beyond_noise(40, 100, 0.1), beyond_noise(3, 10, 0.1), beyond_noise(1, 1000, 0.0)
        (True, False, True)
    """
    if count <= 0 or rows <= 0 or count <= rows * bound:
        return False
    return binomial_sf(count, rows, bound) < alpha


__all__ = ["ALPHA", "beyond_noise", "binomial_sf"]


#: A share tolerance (of a domain or a range) that amounts to at least this many values of the batch is judged
#: as written. Inferred tolerances already hold the noise of a fresh sample of the inferred sample's size (for a
#: domain the unseen-value count and its Good-Turing estimate, at least 4 values; for a range the order-statistics
#: allowance of docs/inference.md, 13 values), so adding the batch's binomial noise again would count it twice:
#: on the corpus's 110- to 120-row halves that turned 10% of rows of a new category (binomial tails 0.003 to 0.15
#: at tolerances of 4% to 9%) into warnings, and the sample data's 25 of 2,000 interest rates in percent (a 1%
#: tolerance: 20 values) into a warning. A tolerance below 4 values of the batch was set for a larger sample than
#: this batch and cannot hold its noise: the binomial bound at the batch's size judges.
AS_WRITTEN_STRAYS = 4.0


def beyond_tolerance(count: int, values: int, tolerance: float) -> bool:
    """Whether `count` values outside a domain or range among `values` break its share `tolerance`: as written
    when the tolerance amounts to AS_WRITTEN_STRAYS values or more, else beyond the batch's binomial noise."""
    if tolerance * values >= AS_WRITTEN_STRAYS:
        return count > tolerance * values
    return beyond_noise(count, values, tolerance)
