"""The model of label statistics (`datacheck stats --label COLUMN`): the label's distribution given each top
value of a categorical feature, or each quantile bucket of a numeric one, and its lift over the overall rate.

Frozen dataclasses with `to_dict`/`from_dict`; `datacheck.statistics.Statistics.labels` carries them and
`datacheck.lift` computes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from datacheck.finite import finite_or_none

LABEL_KINDS = ("binary", "multiclass", "numeric")


@dataclass(frozen=True, slots=True)
class LabelRate:
    """The label given one feature value (or bucket).

    Fields:
        value: the feature value as text, or the bucket as "[low, high]" (numeric features).
        rows: rows with that value (in the bucket) and a non-null label.
        rates: per label class, the share of those rows with that class (binary, multiclass); or one entry
            ("mean", the label's mean over those rows) for a numeric label.
        lifts: per class, rate / the class's overall rate (TFDV's lift); for a numeric label, mean / overall
            mean. None where the overall rate is 0.
    """

    value: str
    rows: int
    rates: tuple[tuple[str, float], ...]
    lifts: tuple[tuple[str, float | None], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "rows": self.rows,
                "rates": {k: finite_or_none(v) for k, v in self.rates},
                "lifts": {k: finite_or_none(v) for k, v in self.lifts}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LabelRate:
        return cls(str(data["value"]), int(data["rows"]), tuple((k, float(v)) for k, v in data["rates"].items()),
                   tuple((k, None if v is None else float(v)) for k, v in data["lifts"].items()))


@dataclass(frozen=True, slots=True)
class FeatureLabel:
    """One feature against the label: "values" (its top values) or "buckets" (quantile buckets)."""

    feature: str
    by: str
    rates: tuple[LabelRate, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"feature": self.feature, "by": self.by, "rates": [r.to_dict() for r in self.rates]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeatureLabel:
        return cls(str(data["feature"]), str(data["by"]), tuple(LabelRate.from_dict(r) for r in data["rates"]))


@dataclass(frozen=True, slots=True)
class LabelStats:
    """The label and every feature against it.

    Fields:
        label: the label column. kind: binary, multiclass or numeric.
        rows: rows with a non-null label.
        overall: the overall rate per class (or ("mean", mean) for a numeric label).
        features: one FeatureLabel per other column that can be bucketed or has values.
    """

    label: str
    kind: str
    rows: int
    overall: tuple[tuple[str, float], ...]
    features: tuple[FeatureLabel, ...]

    def feature(self, name: str) -> FeatureLabel | None:
        return next((f for f in self.features if f.feature == name), None)

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "kind": self.kind, "rows": self.rows,
                "overall": {k: finite_or_none(v) for k, v in self.overall},
                "features": [f.to_dict() for f in self.features]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LabelStats:
        return cls(str(data["label"]), str(data["kind"]), int(data["rows"]),
                   tuple((k, float(v)) for k, v in data["overall"].items()),
                   tuple(FeatureLabel.from_dict(f) for f in data["features"]))


__all__ = ["LABEL_KINDS", "FeatureLabel", "LabelRate", "LabelStats"]
