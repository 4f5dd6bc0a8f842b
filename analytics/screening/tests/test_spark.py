"""Spark in local mode gives the same four outputs as DuckDB (CSV and Parquet feeds)."""

import json
import shutil

import duckdb
import pytest

from analytics.screening import screen
from analytics.screening.tests.helpers import (
    HEADERS,
    PARAMS,
    SAMPLE_REGISTRY,
    TODAY,
    sample_feeds,
    write_feeds,
)

pytestmark = pytest.mark.spark

if shutil.which("java") is None:
    pytest.skip("Spark needs Java (17 or newer); none is on PATH", allow_module_level=True)
pytest.importorskip("pyspark", reason="pyspark is not installed (pip install -e '.[dev]')")

# Tiny partitions, so that line numbers are counted across several partitions of one file.
SPARK = {
    "conf": {
        "spark.sql.files.maxPartitionBytes": "256",
        "spark.sql.shuffle.partitions": "2",
        "spark.driver.memory": "1g",
    }
}


def _outputs(out):
    texts = {
        name: (out / name).read_text() for name in ("warnings.csv", "summary.csv", "rejected.csv")
    }
    run = json.loads((out / "run.json").read_text())
    run.pop("seconds")
    run.pop("engine")
    return texts, run


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_spark_and_duckdb_write_the_same_outputs(tmp_path, fmt):
    folder = write_feeds(tmp_path / "csv", sample_feeds())
    if fmt == "parquet":
        parquet = tmp_path / "parquet"
        parquet.mkdir()
        con = duckdb.connect()
        for path in folder.iterdir():
            con.execute(
                f"COPY (SELECT * FROM read_csv('{path}', all_varchar = true, null_padding = true, "
                f"strict_mode = false, ignore_errors = true)) TO '{parquet / path.stem}.parquet' (FORMAT parquet)"
            )
        folder = parquet
    registry = tmp_path / "registry.csv"
    registry.write_text("\n".join([HEADERS["registry"], *SAMPLE_REGISTRY]) + "\n")
    results = {}
    for engine in ("duckdb", "spark"):
        out = tmp_path / engine
        screen(
            year=2024,
            feeds_dir=folder,
            out_dir=out,
            params=PARAMS,
            registry=registry,
            today=TODAY,
            engine=engine,
            engine_options=SPARK if engine == "spark" else None,
        )
        results[engine] = _outputs(out)
    assert results["spark"] == results["duckdb"]
    texts, run = results["duckdb"]
    # The sample makes every rule fire somewhere, and rejects rows of several kinds.
    assert all(count for count in run["flags"].values()), run["flags"]
    assert run["rows_rejected"] >= 10
    assert json.loads((tmp_path / "spark" / "run.json").read_text())["engine"] == "spark"
