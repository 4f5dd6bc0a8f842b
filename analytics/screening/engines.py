"""The two engines that run the screening's SQL: DuckDB (embedded, the default) and Apache Spark."""

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from analytics.screening.sql import Dialect


class ScreeningError(Exception):
    """A run that cannot go on: a stable code, an English message and details."""

    def __init__(self, code: str, message: str, details: dict | None = None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.details = details or {}


class DuckDBEngine:
    """Run the screening in an embedded DuckDB database (in memory, spilling to a temporary folder).

    The memory limit defaults to 4 GB (ten million persons fit; beyond, DuckDB spills to disk)
    rather than DuckDB's 80 % of the machine, which a server shares with the web process.
    """

    name = "duckdb"
    dialect = Dialect("duckdb")

    def __init__(self, *, memory_limit: str | None = "4GB", threads: int | None = None):
        import duckdb

        self._duckdb = duckdb
        self._temp = tempfile.mkdtemp(prefix="fupin-screening-")
        self.con = duckdb.connect(config={"temp_directory": self._temp})
        if memory_limit:
            self.con.execute(f"SET memory_limit = '{memory_limit}'")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")

    def load_lines(self, name: str, path: Path, newline: str = "\n") -> None:
        """Make `name` (line, text): every line of a text file, numbered from 1."""
        # One VARCHAR column: quote-free, and a delimiter that text files do not hold. With "\n"
        # DuckDB also breaks at a lone "\r", so a CRLF file must say so.
        ending = "\\r\\n" if newline == "\r\n" else "\\n"
        try:
            self.con.execute(
                f"CREATE OR REPLACE TEMP TABLE {name}_raw AS SELECT * FROM read_csv(?, "
                "columns = {'text': 'VARCHAR'}, header = false, delim = '\x01', quote = '', "
                f"escape = '', new_line = '{ending}', auto_detect = false, strict_mode = false)",
                [str(path)],
            )
        except self._duckdb.Error as exc:
            raise ScreeningError(
                "feed_unreadable", "the file cannot be read as UTF-8 text", {"file": str(path)}
            ) from exc
        # Insertion order is kept (preserve_insertion_order), so rowid is the line's position.
        self.con.execute(
            f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT rowid + 1 AS line, text FROM {name}_raw"
        )

    def parquet_columns(self, path: Path) -> list[tuple[str, str]]:
        """Return the columns of a Parquet file, each with its kind: text, number, float or date."""
        rows = self.con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
        return [(name, _kind(kind.upper().split("(")[0])) for name, kind, *_ in rows]

    def load_parquet(self, name: str, path: Path) -> None:
        """Make `name`: the file's columns and `line` (the row's position plus one, as for CSV)."""
        self.con.execute(
            f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT *, file_row_number + 2 AS line "
            f"FROM read_parquet({_literal(str(path))}, file_row_number = true)"
        )

    def create(self, name: str, sql: str) -> None:
        """Materialise a query as a table."""
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")

    def view(self, name: str, sql: str) -> None:
        """Name a query without computing it."""
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {sql}")

    def drop(self, name: str) -> None:
        self.con.execute(f"DROP TABLE IF EXISTS {name}")

    def scalar(self, sql: str):
        return self.con.execute(sql).fetchone()[0]

    def rows(self, sql: str) -> Iterator[tuple]:
        cursor = self.con.execute(sql)
        while batch := cursor.fetchmany(10_000):
            yield from batch

    def close(self) -> None:
        self.con.close()
        shutil.rmtree(self._temp, ignore_errors=True)


class SparkEngine:
    """Run the screening on Apache Spark: local mode by default, or a cluster's master URL."""

    name = "spark"
    dialect = Dialect("spark")

    def __init__(self, *, master: str | None = None, conf: dict[str, str] | None = None):
        try:
            from pyspark.sql import SparkSession
        except ImportError as exc:
            raise ScreeningError(
                "spark_missing", "PySpark is not installed: pip install 'fupin[spark]'"
            ) from exc
        builder = SparkSession.builder.master(master or "local[*]").appName("fupin-screening")
        settings = {
            # Casts and array access give NULL rather than fail; every value is checked before use.
            "spark.sql.ansi.enabled": "false",
            "spark.sql.session.timeZone": "UTC",
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.sql.shuffle.partitions": "8" if not master else "200",
            "spark.driver.memory": "4g",
            **(conf or {}),
        }
        for key, value in settings.items():
            builder = builder.config(key, value)
        self.spark = builder.getOrCreate()
        self.spark.sparkContext.setLogLevel("ERROR")
        self._cached = {}

    def load_lines(self, name: str, path: Path, newline: str = "\n") -> None:
        """Make `name` (line, text): every line of a text file, numbered from 1."""
        from pyspark import StorageLevel
        from pyspark.sql import functions as F

        df = (
            self.spark.read.option("lineSep", "\n")
            .text(str(path))
            .select(
                F.spark_partition_id().alias("pid"),
                F.monotonically_increasing_id().alias("mid"),
                F.col("value").alias("text"),
            )
            .persist(StorageLevel.MEMORY_AND_DISK)
        )
        # A partition is a byte range of the file, in order; its rows are numbered within it.
        counts = dict(df.groupBy("pid").count().collect())
        offsets, total = {}, 0
        for pid in sorted(counts):
            offsets[pid], total = total, total + counts[pid]
        offset = " ".join(f"WHEN {pid} THEN {o}" for pid, o in offsets.items()) or "WHEN 0 THEN 0"
        df.selectExpr(
            f"CASE pid {offset} END + (mid - shiftleft(CAST(pid AS BIGINT), 33)) + 1 AS line",
            "text",
        ).createOrReplaceTempView(name)
        self._cached[name] = df

    def parquet_columns(self, path: Path) -> list[tuple[str, str]]:
        """Return the columns of a Parquet file, each with its kind: text, number, float or date."""
        schema = self.spark.read.parquet(str(path)).schema
        return [(f.name, _kind(f.dataType.typeName().upper())) for f in schema.fields]

    def load_parquet(self, name: str, path: Path) -> None:
        """Make `name`: the file's columns and `line` (the row's position plus one, as for CSV)."""
        self.spark.read.parquet(str(path)).selectExpr(
            "*", "_metadata.row_index + 2 AS line"
        ).createOrReplaceTempView(name)

    def create(self, name: str, sql: str) -> None:
        """Materialise a query as a cached view."""
        from pyspark import StorageLevel

        df = self.spark.sql(sql).persist(StorageLevel.MEMORY_AND_DISK)
        df.createOrReplaceTempView(name)
        df.count()
        self._cached[name] = df

    def view(self, name: str, sql: str) -> None:
        """Name a query without computing it."""
        self.spark.sql(sql).createOrReplaceTempView(name)

    def drop(self, name: str) -> None:
        if (df := self._cached.pop(name, None)) is not None:
            df.unpersist()

    def scalar(self, sql: str):
        return self.spark.sql(sql).collect()[0][0]

    def rows(self, sql: str) -> Iterator[tuple]:
        for row in self.spark.sql(sql).toLocalIterator():
            yield tuple(row)

    def close(self) -> None:
        for df in self._cached.values():
            df.unpersist()
        self._cached.clear()


NUMBER_TYPES = {
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "DECIMAL",
    "BYTE",
    "SHORT",
    "LONG",
}


def _kind(type_name: str) -> str:
    """Return the kind of a column type of either engine: number, float, date or text."""
    if type_name in ("FLOAT", "DOUBLE", "REAL"):
        return "float"
    if type_name in NUMBER_TYPES:
        return "number"
    return "date" if type_name == "DATE" else "text"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def engine_open(name: str, *, spark_master: str | None = None, options: dict | None = None):
    """Return an engine by name: `duckdb` or `spark`."""
    options = options or {}
    if name == "duckdb":
        return DuckDBEngine(**options)
    if name == "spark":
        return SparkEngine(master=spark_master, **options)
    raise ScreeningError("unknown_engine", "the engine is duckdb or spark", {"engine": name})
