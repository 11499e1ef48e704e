"""Bytes to text for every reader: BOMs, UTF-8, legacy encodings, mixed files, binary refusal."""

from __future__ import annotations

from newsfuse.errors import InputError

# A text file has almost no control characters; past this share it is binary (or UTF-16 without BOM).
BINARY_CONTROL_SHARE = 0.05
SNIFF_BYTES = 8192
# UTF-16 without a byte-order mark: text in a Latin script has a NUL as the high byte of most characters.
# Past this share of NULs in the odd (little-endian) or even (big-endian) positions, and almost none in
# the others, the bytes are read as UTF-16 (a binary file has NULs scattered over both).
UTF16_NUL_SHARE = 0.4
UTF16_OTHER_NUL_SHARE = 0.05


def looks_binary(content: bytes) -> bool:
    sample = content[:SNIFF_BYTES]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(sample) > BINARY_CONTROL_SHARE


def utf16_without_bom(content: bytes) -> str | None:
    """`utf-16-le` or `utf-16-be` when the bytes look like BOM-less UTF-16 text and decode as it; else None."""
    sample = content[:SNIFF_BYTES - SNIFF_BYTES % 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    for encoding, high, low in (("utf-16-le", odd_nul, even_nul), ("utf-16-be", even_nul, odd_nul)):
        if high >= UTF16_NUL_SHARE and low <= UTF16_OTHER_NUL_SHARE:
            try:
                text = content[: len(content) - len(content) % 2].decode(encoding)
            except UnicodeDecodeError:
                return None
            return encoding if not looks_binary(text[:SNIFF_BYTES].encode("utf-8")) else None
    return None


def decode_text(content: bytes, location: str) -> tuple[str, str]:
    """Decode bytes to text; returns (text, how). Raises InputError for empty or binary input.

    Files that are mostly UTF-8 with a few legacy-encoded lines (a common result of pasting) are
    decoded line by line, each line in the encoding that fits it, so no text is lost to U+FFFD.
    """
    if not content.strip():
        raise InputError(location, "empty file: nothing to ingest")
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if content.startswith(bom):
            try:
                return content.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise InputError(location, f"declares {encoding} by its byte-order mark but is not: {exc}") from exc
    if looks_binary(content):
        utf16 = utf16_without_bom(content)
        if utf16:
            return content[: len(content) - len(content) % 2].decode(utf16), f"{utf16} (no byte-order mark)"
        raise InputError(location, "binary file, not text: give a text, HTML, JSONL, feed or WARC file")
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    lines = content.split(b"\n")
    utf8_lines = 0
    decoded: list[str] = []
    for line in lines:
        try:
            decoded.append(line.decode("utf-8"))
            utf8_lines += 1
        except UnicodeDecodeError:
            decoded.append(line.decode("cp1252", errors="replace"))
    if any(_has_non_ascii(line) for line in lines if _is_utf8(line)):
        return "\n".join(decoded), "mixed utf-8/cp1252"
    guess = _guess_encoding(content)
    return content.decode(guess, errors="replace"), guess


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _has_non_ascii(line: bytes) -> bool:
    return any(b > 127 for b in line)


def _guess_encoding(content: bytes) -> str:
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(content[:200_000]).best()
        if best is not None and best.encoding:
            return best.encoding
    except ImportError:  # pragma: no cover - charset_normalizer comes with trafilatura
        pass
    return "cp1252"
