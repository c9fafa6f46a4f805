"""Opening the configured reader (by URL, through `drivers.registry`) for each scan."""

from __future__ import annotations

from collections.abc import Callable

from drivers.reader import DocumentReader
from drivers.registry import build_reader, parse_url

ReaderFactory = Callable[[], DocumentReader]  # returns an opened reader; callers close it


def reader_factory(url: str) -> ReaderFactory:
    """A factory that opens the one reader `url` names; a bad URL fails here, at start-up.

    The reader object is kept between scans (a simulated reader moves on to its next page,
    a serial one reconnects), and opened for each scan.
    """
    reader = build_reader(parse_url(url))

    def opened() -> DocumentReader:
        reader.open()
        return reader

    return opened
