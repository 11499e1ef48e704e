"""Reading one input file whole, within the size limit, with errors that name the file."""

from __future__ import annotations

from pathlib import Path

from newsfuse.errors import InputError


def read_capped(location: str, max_bytes: int) -> bytes:
    """The file's bytes; InputError when it is over `max_bytes` or cannot be read."""
    path = Path(location)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(location, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit (--max-file-bytes)")
        return path.read_bytes()
    except OSError as exc:
        raise InputError(location, f"cannot read file: {exc.strerror or exc}") from exc
