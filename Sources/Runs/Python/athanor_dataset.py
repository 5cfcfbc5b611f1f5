"""Read and write datasets in Athanor's columnar form (docs/dataset-format.md).

numpy only (pandas for `read_frame`/`write_frame`). The file holds a JSON header and one
little-endian float64 buffer per column, each on a 64-byte boundary, so a column is a view
into a memory map, not a copy:

    import athanor_dataset
    columns = athanor_dataset.read("obj")          # {name: numpy array}, zero-copy memory maps
    frame = athanor_dataset.read_frame("obj")      # a pandas DataFrame, text columns as Categorical

Categorical columns hold level indices (NaN for a missing value); the header's `levels`
names them.
"""

import json
import struct

import numpy as np

MAGIC = b"ATHDATA1"
VERSION = 1
ALIGNMENT = 64

__all__ = ["read_header", "read", "read_frame", "write", "write_frame"]


def _padded(count):
    return (count + ALIGNMENT - 1) // ALIGNMENT * ALIGNMENT


def read_header(path):
    """The file's header: rows, and per column its name, role, kind, levels, offset and length."""
    with open(path, "rb") as f:
        prefix = f.read(16)
        if len(prefix) < 16 or prefix[:8] != MAGIC:
            raise ValueError(f"{path}: not a dataset in Athanor's columnar form")
        (length,) = struct.unpack("<Q", prefix[8:16])
        header = json.loads(f.read(length))
    if header.get("format") != "athanor-dataset" or header.get("version") != VERSION:
        raise ValueError(f"{path}: unsupported dataset version {header.get('version')}")
    return header


def read(path, writable=False):
    """Every column as a float64 numpy array mapped from the file, by name: read-only, or with
    `writable` a copy-on-write mapping, whose changes stay in memory and never reach the file."""
    header = read_header(path)
    rows = header["rows"]
    data = np.memmap(path, dtype=np.uint8, mode="c" if writable else "r")
    return {
        column["name"]: np.frombuffer(data, dtype="<f8", count=rows, offset=column["offset"])
        for column in header["columns"]
    }


def read_frame(path):
    """A pandas DataFrame: numeric columns as float64, categorical ones as pandas.Categorical.
    The numeric columns are the file's pages, mapped copy-on-write: nothing is copied until changed."""
    import pandas as pd

    header = read_header(path)
    arrays = read(path, writable=True)
    frame = {}
    for column in header["columns"]:
        values = arrays[column["name"]]
        if column["kind"] == "categorical":
            codes = np.where(np.isnan(values), -1, values).astype(np.int64)
            frame[column["name"]] = pd.Categorical.from_codes(codes, categories=column["levels"])
        else:
            frame[column["name"]] = values
    return pd.DataFrame(frame, copy=False)


def write(path, columns, target=None, levels=None):
    """Writes `columns` ({name: 1-d array}) with `target` naming the target column, if any, and
    `levels` ({name: [level, ...]}) for categorical columns holding level indices."""
    levels = levels or {}
    names = list(columns)
    rows = len(columns[names[0]]) if names else 0
    order = [n for n in names if n != target] + ([target] if target is not None else [])
    column_bytes = _padded(rows * 8)

    def header(start):
        entries = []
        for index, name in enumerate(order):
            entry = {
                "name": name,
                "role": "target" if name == target else "feature",
                "dtype": "<f8",
                "kind": "categorical" if name in levels else "numeric",
                "offset": start + index * column_bytes,
                "length": rows * 8,
            }
            if name in levels:
                entry["levels"] = list(levels[name])
            entries.append(entry)
        body = {"format": "athanor-dataset", "version": VERSION, "byte_order": "little", "rows": rows,
                "columns": entries}
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()

    start = _padded(16 + len(header(0)) + 24)
    text = header(start)
    while 16 + len(text) > start:
        start = _padded(16 + len(text) + 24)
        text = header(start)
    with open(path, "wb") as f:
        f.write(MAGIC + struct.pack("<Q", start - 16) + text + b" " * (start - 16 - len(text)))
        for name in order:
            values = np.ascontiguousarray(columns[name], dtype="<f8")
            if values.shape != (rows,):
                raise ValueError(f"column {name!r} has {values.shape} values; expected {rows}")
            f.write(memoryview(values))
            f.write(b"\0" * (column_bytes - rows * 8))


def write_frame(path, frame, target=None):
    """Writes a pandas DataFrame: numeric columns as float64, the others as categorical levels."""
    import pandas as pd

    columns, levels = {}, {}
    for name in frame.columns:
        series = frame[name]
        if pd.api.types.is_numeric_dtype(series) and not isinstance(series.dtype, pd.CategoricalDtype):
            columns[name] = series.to_numpy(dtype="float64", na_value=np.nan)
        else:
            categorical = pd.Categorical(series.astype("object").where(series.notna(), None))
            ordered = sorted(str(level) for level in categorical.categories)
            categorical = categorical.rename_categories([str(c) for c in categorical.categories])
            categorical = categorical.reorder_categories(ordered)
            codes = categorical.codes.astype("float64")
            codes[codes < 0] = np.nan
            columns[name] = codes
            levels[name] = ordered
    write(path, columns, target=target, levels=levels)
