"""Tables too long for one sheet (Excel stops at 1,048,576 rows) go to Parquet beside the workbook."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..core.atomic import write_atomic
from ..core.errors import UserError
from .spec import INT, NUMBER, PCT, WAN, Table

__all__ = ["spill_path", "write_parquet"]

BATCH_ROWS = 50_000


def spill_path(workbook: Path, table: Table) -> Path:
    return workbook.with_name(f"{workbook.stem}.{table.sheet}.parquet")


def write_parquet(table: Table, rows: Iterable[tuple[Any, ...]], path: Path) -> Path:
    """Stream rows into a Parquet file in batches; typed columns, text as strings (no mixed types)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise UserError(
            "明细超过 Excel 单表行数上限，需要写成 Parquet 文件，但未安装 pyarrow"
            "（pip install 'pyxl-jixiao[parquet]'）",
            "a table exceeds Excel's row limit and must be written as Parquet, but pyarrow is not installed "
            "(pip install 'pyxl-jixiao[parquet]')",
        ) from None

    def arrow_type(kind: str) -> Any:
        if kind == INT:
            return pa.int64()
        if kind in (WAN, NUMBER, PCT):
            return pa.float64()
        return pa.string()

    schema = pa.schema([(c.key, arrow_type(c.kind)) for c in table.columns])
    converters = [
        (lambda v: None if v is None else str(v)) if arrow_type(c.kind) == pa.string() else (lambda v: v)
        for c in table.columns
    ]

    def write(tmp: Path) -> None:
        with pq.ParquetWriter(tmp, schema) as writer:
            batch: list[tuple[Any, ...]] = []

            def flush() -> None:
                columns = list(zip(*batch, strict=True)) if batch else [() for _ in table.columns]
                arrays = [pa.array([conv(v) for v in col], type=f.type)
                          for col, conv, f in zip(columns, converters, schema, strict=True)]
                writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
                batch.clear()

            for row in rows:
                batch.append(row)
                if len(batch) >= BATCH_ROWS:
                    flush()
            flush()

    write_atomic(path, write)
    return path
