"""Samples from a file named in [data], for data sets too large to write inline:

    [data]
    inputs = "digits-x.csv"      # a CSV: one sample a row, one number a column (a header row is skipped)
    targets = "digits-y.npy"     # or a NumPy .npy array of shape (samples, values)

A relative name is read from the exercise file's folder (`with_data_paths` makes it absolute when
the file is loaded, so the Spec re-read with other [training] keys finds it wherever it runs). CSV
cells are separated by commas, or by semicolons with decimal commas (0,35) as spreadsheets in many
languages export; a .npy is read without pickles. The file's size is checked against the memory
limit before it is read. Errors name the field, the file and the row.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

from ..core.memory import check_file
from ..core.parameters import as_number
from ..errors import NeurosimError
from ..messages import say
from ..textfiles import read_text

DATA_KEYS = ("inputs", "targets")


def with_data_paths(data: Mapping, folder: Path) -> Mapping:
    """The exercise's dict with [data]'s file names made absolute (relative to `folder`)."""
    section = data.get("data")
    if not isinstance(section, Mapping) or not any(isinstance(section.get(k), str) for k in DATA_KEYS):
        return data
    named = {k: str((folder / v).resolve()) if isinstance(v, str) and v else v for k, v in section.items()}
    return {**data, "data": named}


def read_samples(field: str, name: str) -> tuple[tuple[float, ...], ...]:
    """The samples of a .csv or .npy file, one tuple of floats per row."""
    return read_shaped(field, name, grid=False)[0]


def read_shaped(field: str, name: str, grid: bool = True) -> tuple[tuple[tuple[float, ...], ...], tuple[int, ...]]:
    """(the samples, each flattened to a tuple of floats; the shape of one sample) of a .csv or .npy
    file. With `grid` a .npy array may have more than two axes: (samples, channels, rows, columns),
    (sequences, time steps, values) — files/arraydata.py checks that shape against the network's."""
    path = Path(name)
    if not name:
        raise NeurosimError(say("{field}: an empty file name", field=field))
    if path.is_file():
        check_file(path, path.stat().st_size)
    if path.suffix.lower() == ".npy":
        rows, shape = _npy_rows(field, path, grid)
    elif path.suffix.lower() in (".csv", ".txt"):
        rows = _csv_rows(field, path)
        shape = (len(rows[0]),) if rows else (0,)
    else:
        raise NeurosimError(say("{field}: {path}: read .csv or .npy files (a list of samples may be written inline)",
                                field=field, path=path))
    if not rows:
        raise NeurosimError(say("{field}: {path} holds no samples", field=field, path=path))
    return rows, shape


def _npy_rows(field: str, path: Path, grid: bool = False) -> tuple[tuple[tuple[float, ...], ...], tuple[int, ...]]:
    import numpy as np

    try:
        array = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise NeurosimError(say("{path}: no such file", path=path)) from None
    except (OSError, ValueError) as error:
        raise NeurosimError(say("{field}: {path} is not a NumPy .npy array of numbers ({error})",
                                field=field, path=path, error=error)) from None
    if array.ndim == 1:
        array = array.reshape(-1, 1)
    if (array.ndim != 2 and not grid) or array.ndim > 5 or array.dtype.kind not in "biuf":
        raise NeurosimError(say("{field}: {path} holds an array of shape {shape} and type {dtype}; one row of "
                                "numbers a sample is read", field=field, path=path, shape=array.shape,
                                dtype=array.dtype))
    rows = array.reshape(array.shape[0], -1) if array.shape[0] else array.reshape(0, 0)
    return tuple(tuple(as_number(f"{field}[{i}]", x) for x in row.tolist()) for i, row in enumerate(rows, 1)), \
        tuple(array.shape[1:])


def _csv_rows(field: str, path: Path) -> tuple[tuple[float, ...], ...]:
    text = read_text(path).lstrip("\ufeff")
    lines = [line for line in text.splitlines() if line.strip()]
    semicolons = bool(lines) and lines[0].count(";") > lines[0].count(",")
    import csv  # (start-up: only a .csv data file is read with it)

    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=";" if semicolons else ",")
    rows = []
    for number, cells in enumerate(reader, start=1):
        cells = [c.strip().replace(",", ".") if semicolons else c.strip() for c in cells]
        if number == 1 and cells and not _numeric(cells[0]):
            continue  # a header row
        where = say("{field}: {path} row {row}", field=field, path=path.name, row=number)
        rows.append(tuple(as_number(where, c) for c in cells))
    return tuple(rows)


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
