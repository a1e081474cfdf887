"""Drawing matplotlib figures (Agg) as deterministic SVG that can sit inline in a page.

A fixed `svg.hashsalt` names the SVG's element ids, no date goes into its metadata, and text
is kept as text (`svg.fonttype: none`, so a screen reader and a search find it): the same
figure always writes the same bytes. Matplotlib's object API is used, never `pyplot`, whose
global figure registry is not safe across request threads.
"""

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib
from matplotlib.figure import Figure

__all__ = ["drawing", "svg_of"]

# `svg.hashsalt` is read from the process-wide rcParams while the SVG is written, and
# `rc_context` swaps them for everyone: one figure is drawn at a time, or a concurrent
# request could restore the defaults mid-write and make the ids random.
_WRITING = threading.Lock()


@contextmanager
def drawing(salt: str) -> Iterator[None]:
    """Draw and write one figure inside this block, its ids salted with `salt`."""
    style: dict[Any, Any] = {
        "svg.hashsalt": salt,
        "svg.fonttype": "none",
        "font.family": "sans-serif",
        "font.size": 9.0,
    }
    with _WRITING, matplotlib.rc_context(style):
        yield


def svg_of(figure: Figure) -> str:
    """`figure` as SVG, without the XML prologue and DOCTYPE (inside a `drawing` block)."""
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None, "Creator": "Townsquare"})
    text = out.getvalue()
    return text[text.index("<svg") :]
