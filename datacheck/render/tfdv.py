"""Statistics as TFDV's statistics proto in text format, for Facets Overview and `tfdv.visualize_statistics`."""

from __future__ import annotations

from datacheck.statistics import Statistics
from datacheck.tfdv_statistics import tfdv_statistics_text


def stats_tfdv(statistics: Statistics) -> str:
    """The statistics as a text-format `DatasetFeatureStatisticsList` (what `tfdv.load_stats_text` reads)."""
    return tfdv_statistics_text(statistics)
