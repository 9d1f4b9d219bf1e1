"""py3langid's language identifier, loaded from an uncompressed copy of its model.

py3langid ships its model as an LZMA-compressed npz (4.5 MB) and decompresses all 68 MB
of it in every process that identifies a language: 0.41 s of each analysis worker and
of each rebuild that analyses an article. The copy (kept_copies) is that npz
uncompressed, and loads in about 0.05 s. It is read with pickles refused, so it can
hold arrays of numbers and strings only, and it is checked against the layout
py3langid's own loader (`py3langid.modelio.load_model`) expects.
"""

from __future__ import annotations

import importlib
import lzma
import zipfile
from contextlib import suppress
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt

from .kept_copies import copy_path, opened_copy, write_copy

# The copy's layout, in its name: another layout gets another file.
_MODEL_FORMAT = b"site_builder py3langid model npz 1"
_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")

Arrays = dict[str, npt.NDArray[Any]]


def language_identifier(folder: Path | None = None) -> Any:
    """py3langid.langid.LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True),
    from a copy of the model kept in `folder` (the temporary folder by default), made on
    first use."""
    langid = importlib.import_module("py3langid.langid")
    model = Path(langid.MODEL_DIR) / langid.MODEL_FILE
    version = str(getattr(importlib.import_module("py3langid"), "__version__", ""))
    path = copy_path(folder, "py3langid", version, model, _MODEL_FORMAT, "npz")
    if path is None:
        return langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
    arrays = _read_arrays(path)
    if arrays is None:
        # The model decompressed is the copy: streamed to it, never whole in memory.
        with lzma.open(model) as source:
            write_copy(path, iter(partial(source.read, 1 << 20), b""))
        arrays = _read_arrays(path)
    if arrays is None:  # no copy could be made, or not of the layout known here
        with suppress(OSError):
            path.unlink()
        return langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
    # As py3langid.modelio.load_model and LanguageIdentifier.from_model_file build it.
    modelio = importlib.import_module("py3langid.modelio")
    return langid.LanguageIdentifier(
        np.asarray(arrays["ptc"]),
        np.asarray(arrays["pc"]),
        arrays["classes"].tolist(),
        modelio._to_array(arrays["nextmove"]),
        arrays["out_feat"].tolist(),
        norm_probs=True,
        tk_row=modelio._to_array(arrays["nextmove_row"]),
    )


def _read_arrays(path: Path) -> Arrays | None:
    with opened_copy(path) as stream:
        return _arrays(stream) if stream is not None else None


def _arrays(stream: BinaryIO) -> Arrays | None:
    """The model's arrays from an npz file; None unless it holds exactly the arrays of
    the layout known here, with consistent shapes, and no pickled object."""
    try:
        with np.load(stream, allow_pickle=False) as data:
            if sorted(data.files) != sorted(_ARRAYS):
                return None
            arrays: Arrays = {name: data[name] for name in _ARRAYS}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        return None
    ptc, pc, classes = arrays["ptc"], arrays["pc"], arrays["classes"]
    nextmove, rows, out_feat = arrays["nextmove"], arrays["nextmove_row"], arrays["out_feat"]
    if not (
        ptc.ndim == 2
        and ptc.shape[1] == len(pc) == len(classes)
        and classes.dtype.kind == "U"
        and nextmove.ndim == rows.ndim == out_feat.ndim == 1
        and nextmove.dtype.kind == rows.dtype.kind == "u"
        and out_feat.dtype.kind == "i"
        and len(nextmove) % 256 == 0
        and len(rows) == len(out_feat)
        and (len(rows) == 0 or int(rows.max()) < len(nextmove) // 256)
    ):
        return None
    return arrays
