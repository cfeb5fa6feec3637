"""TFDV statistics in and out: FeatureStats.pb read as DATA equals the proto field by field (read here with
tensorflow-metadata directly), TFRecord framing with its checksums, our statistics written as the proto read
back by tensorflow-metadata's parser, and drift between TFDV baselines."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

statistics_pb2 = pytest.importorskip("tensorflow_metadata.proto.v0.statistics_pb2")
from google.protobuf import text_format  # noqa: E402

from datacheck.cli import app  # noqa: E402
from datacheck.drift import compare  # noqa: E402
from datacheck.errors import InputError  # noqa: E402
from datacheck.profile import profile  # noqa: E402
from datacheck.sources import resolve  # noqa: E402
from datacheck.tfdv_statistics import load_tfdv_statistics  # noqa: E402
from datacheck.tfrecord import crc32c, read_records, write_records  # noqa: E402

TFX = Path(__file__).resolve().parents[2] / "shared" / "data" / "chicago_taxi_tfx"
REF = TFX / "tfx_reference_outputs"
needs_data = pytest.mark.skipif(not (REF / "FeatureStats_train.pb").exists(),
                                reason="no public data folder beside the checkout")


def test_crc32c_known_answers() -> None:
    # RFC 3720 (iSCSI) appendix B.4 test vectors for CRC-32C.
    assert crc32c(b"123456789") == 0xE3069283
    assert crc32c(bytes(32)) == 0x8A9136AA
    assert crc32c(bytes([0xFF] * 32)) == 0x62A8AB43
    assert crc32c(bytes(range(32))) == 0x46DD794E


def test_tfrecord_framing_and_corruption() -> None:
    records = [b"first", b"", bytes(range(256)) * 3]
    data = write_records(records)
    assert len(data) == sum(16 + len(r) for r in records)
    assert struct.unpack("<Q", data[:8])[0] == 5
    assert list(read_records(data)) == records
    flipped = bytearray(data)
    flipped[13] ^= 1  # a data byte of the first record
    with pytest.raises(InputError, match="data checksum mismatch"):
        list(read_records(bytes(flipped)))
    with pytest.raises(InputError, match="cut short"):
        list(read_records(data[:-3]))


def _proto(path: Path):
    proto = statistics_pb2.DatasetFeatureStatisticsList()
    proto.ParseFromString(path.read_bytes())
    return proto.datasets[0]


@needs_data
@pytest.mark.parametrize("split", ["train", "eval"])
def test_feature_stats_equal_the_proto(split: str) -> None:
    path = REF / f"FeatureStats_{split}.pb"
    expected = _proto(path)
    ours = resolve([str(path)])
    assert ours.num_rows == expected.num_examples
    assert ours.column_names == [f.path.step[0] for f in expected.features]
    for feature in expected.features:
        col = ours.column(feature.path.step[0])
        stats = feature.num_stats if feature.HasField("num_stats") else feature.string_stats
        assert col.count == stats.common_stats.tot_num_values
        assert col.null_count == expected.num_examples - stats.common_stats.tot_num_values
        if feature.HasField("num_stats") and col.count:
            assert (col.numeric.mean, col.numeric.min, col.numeric.max, col.numeric.std) == (
                stats.mean, stats.min, stats.max, stats.std_dev)
            assert col.numeric.zero_count == stats.num_zeros
        if feature.HasField("string_stats"):
            assert col.distinct.count == stats.unique
            assert [(v.value, v.count) for v in col.top_values[:3]] == [
                (t.value, int(t.frequency)) for t in stats.top_values[:3]]


@needs_data
def test_text_and_tfrecord_forms_read_alike(tmp_path: Path) -> None:
    binary = load_tfdv_statistics(REF / "FeatureStats_train.pb")
    assert load_tfdv_statistics(REF / "FeatureStats_train.pbtxt").columns == binary.columns
    framed = tmp_path / "stats_tfrecord"
    framed.write_bytes(write_records([(REF / "FeatureStats_train.pb").read_bytes()]))
    assert resolve([str(framed)]).columns == binary.columns


def test_written_statistics_parse_back_with_tensorflow_metadata(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    frame = pl.DataFrame({"x": rng.normal(5.0, 2.0, 4000), "n": rng.integers(-3, 40, 4000),
                          "s": rng.choice(["a", "bb", "ccc"], 4000)})
    frame = frame.with_columns(pl.when(pl.int_range(pl.len()) % 10 == 0).then(None).otherwise(pl.col("x")).alias("x"))
    path = tmp_path / "data.csv"
    frame.write_csv(path)
    result = CliRunner().invoke(app, ["stats", str(path), "-o", str(tmp_path / "stats.pbtxt")])
    assert result.exit_code == 0, result.output
    proto = text_format.Parse((tmp_path / "stats.pbtxt").read_text(), statistics_pb2.DatasetFeatureStatisticsList())
    dataset = proto.datasets[0]
    assert dataset.num_examples == 4000
    by_name = {f.path.step[0]: f for f in dataset.features}
    x = frame["x"].drop_nulls().to_numpy()
    assert by_name["x"].num_stats.common_stats.num_non_missing == x.size == 3600
    assert by_name["x"].num_stats.common_stats.num_missing == 400
    assert by_name["x"].num_stats.mean == pytest.approx(x.mean(), rel=1e-12)
    assert (by_name["x"].num_stats.min, by_name["x"].num_stats.max) == (x.min(), x.max())
    n = frame["n"].to_numpy()
    assert by_name["n"].type == statistics_pb2.FeatureNameStatistics.INT
    assert (by_name["n"].num_stats.min, by_name["n"].num_stats.max) == (n.min(), n.max())
    assert by_name["n"].num_stats.num_zeros == int((n == 0).sum())
    counts = dict(zip(*np.unique(frame["s"].to_numpy(), return_counts=True)))
    assert {b.label: int(b.sample_count) for b in by_name["s"].string_stats.rank_histogram.buckets} == counts
    assert by_name["s"].string_stats.unique == 3


@needs_data
def test_drift_between_tfdv_baselines_matches_our_own() -> None:
    """TFX split data.csv by a hash into train and eval: TFDV's statistics of the two show no drift, as ours
    of a random split of the same file do not; and our statistics of data.csv in TFDV form show none against
    TFDV's eval split."""
    train, evaluation = (str(REF / f"FeatureStats_{s}.pb") for s in ("train", "eval"))
    assert compare(resolve([train]), resolve([evaluation])).drifted_columns == []
    frame = pl.read_csv(TFX / "data.csv", infer_schema_length=None)
    mask = pl.Series(np.random.default_rng(0).random(frame.height) < 10036 / 15002)
    assert compare(profile(frame.filter(mask)), profile(frame.filter(~mask))).drifted_columns == []


@needs_data
def test_drift_from_tfdv_form_finds_a_planted_shift(tmp_path: Path) -> None:
    """Both sides in TFDV form: a 30% shift of fares and a swap of payment types is found, as it is from our
    exact statistics; the untouched columns stay quiet in both."""
    frame = pl.read_csv(TFX / "data.csv", infer_schema_length=None)
    shifted = frame.with_columns(pl.col("fare") * 1.3,
                                 pl.col("payment_type").replace({"Cash": "Credit Card", "Credit Card": "Cash"}))
    frame.write_csv(tmp_path / "a.csv")
    shifted.write_csv(tmp_path / "b.csv")
    runner = CliRunner()
    for name in ("a", "b"):
        result = runner.invoke(app, ["stats", str(tmp_path / f"{name}.csv"), "-o", str(tmp_path / f"{name}.pbtxt")])
        assert result.exit_code == 0, result.output
    exact = compare(profile(frame), profile(shifted)).drifted_columns
    via_tfdv = compare(resolve([str(tmp_path / "a.pbtxt")]), resolve([str(tmp_path / "b.pbtxt")])).drifted_columns
    assert sorted(exact) == sorted(via_tfdv) == ["fare", "payment_type"]


def test_binary_pb_output_parses_with_tensorflow_metadata(tmp_path: Path) -> None:
    frame = pl.DataFrame({"x": [1.5, 2.5, None, 4.0], "s": ["a", "b", "a", None]})
    frame.write_csv(tmp_path / "d.csv")
    result = CliRunner().invoke(app, ["stats", str(tmp_path / "d.csv"), "-o", str(tmp_path / "stats.pb")])
    assert result.exit_code == 0, result.output
    proto = statistics_pb2.DatasetFeatureStatisticsList()
    proto.ParseFromString((tmp_path / "stats.pb").read_bytes())
    x, s = proto.datasets[0].features
    assert proto.datasets[0].num_examples == 4
    assert (x.num_stats.common_stats.num_non_missing, x.num_stats.mean, x.num_stats.min, x.num_stats.max) == (
        3, 8.0 / 3, 1.5, 4.0)
    assert {b.label: b.sample_count for b in s.string_stats.rank_histogram.buckets} == {"a": 2.0, "b": 1.0}
    # And back as DATA.
    assert resolve([str(tmp_path / "stats.pb")]).column("x").count == 3
    # --format json -o stats.pb still writes JSON.
    result = CliRunner().invoke(app, ["stats", str(tmp_path / "d.csv"), "-f", "json", "-o", str(tmp_path / "j.pb")])
    assert result.exit_code == 0 and (tmp_path / "j.pb").read_text().startswith("{")
