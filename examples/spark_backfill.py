#!/usr/bin/env python3
"""Embedding backfill on Spark with Swiftlet: a pandas UDF, one model load per Python worker.

    python examples/spark_backfill.py --model models/all-MiniLM-L6-v2.swl \
        --input corpus.jsonl --output vectors/ [--master local[2]] [--threads 1]

Input: JSON lines with a "text" field, or parquet with a "text" column. Output: parquet with
every input column plus "embedding" (array<float>). Each Spark Python worker opens the .swl
the first time one of its batches arrives and keeps it for the worker's lifetime (Spark
reuses Python workers by default, spark.python.worker.reuse), so a model is loaded once per
worker, not once per batch. Give each worker --threads Swiftlet threads and size
spark.executor.cores accordingly. On a cluster pass --master (or use spark-submit): every
executor needs the swiftlet Python package and the model file at the same path.
"""
import argparse
import os
import sys
import time

import pandas as pd

_EMBEDDERS = {}  # (model, threads) -> swiftlet.Embedder, per Python worker process


def _embedder(model, threads):
    import swiftlet  # imported on the executor, where the package must be installed
    key = (model, threads)
    if key not in _EMBEDDERS:
        _EMBEDDERS[key] = swiftlet.Embedder(model, threads=threads)
    return _EMBEDDERS[key]


def embed_udf(model, threads):
    from pyspark.sql.functions import pandas_udf
    from pyspark.sql.types import ArrayType, FloatType

    @pandas_udf(ArrayType(FloatType()))
    def embed(texts: pd.Series) -> pd.Series:
        vectors = _embedder(model, threads).embed(texts.tolist())
        return pd.Series(list(vectors))

    return embed


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--output", required=True, help="directory for the parquet files")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--threads", type=int, default=1, help="Swiftlet threads per Python worker")
    ap.add_argument("--partitions", type=int, help="default: Spark's default parallelism (the cores)")
    ap.add_argument("--batch-size", type=int, default=256, help="rows per Arrow batch sent to the UDF")
    a = ap.parse_args(argv)
    for p in (a.model, a.input):
        if not os.path.exists(p):
            ap.error(f"{p} does not exist")

    # Local workers run this interpreter (the one with swiftlet and pandas), not whatever
    # `python3` is first on PATH; on a cluster set PYSPARK_PYTHON for the executors instead.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master(a.master).appName("swiftlet-backfill")
             .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(a.batch_size))
             .config("spark.ui.enabled", "false")
             .getOrCreate())
    spark.sparkContext.setLogLevel("WARN")
    start = time.perf_counter()
    reader = spark.read.parquet if (os.path.isdir(a.input) or a.input.endswith(".parquet")) else spark.read.json
    # One partition per core at least, or a small input (one file) runs on one worker only.
    df = reader(a.input).repartition(a.partitions or spark.sparkContext.defaultParallelism)
    df.withColumn("embedding", embed_udf(os.path.abspath(a.model), a.threads)("text")).write.mode("overwrite").parquet(a.output)
    seconds = time.perf_counter() - start
    rows = spark.read.parquet(a.output).count()
    spark.stop()
    print(f'{{"task": "embed", "rows": {rows}, "seconds": {seconds:.3f}, "rows_per_s": {rows / seconds:.2f}}}')


if __name__ == "__main__":
    main()
