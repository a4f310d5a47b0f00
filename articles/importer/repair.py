"""
Repairs that make pasted text trustworthy, each one reported.

Mojibake is UTF-8 that was read as Windows-1252 or Windows-1250 somewhere
along the way ("KondĹŤ" for "Kondō"). ftfy handles the 1252 case but not
1250, and by default it also straightens curly quotes, which are intended
typography here; so the repair is done narrowly: only a sequence that is
exactly the bytes of one UTF-8 character, re-read in one of those code
pages, is replaced. A lone curly quote or dash can never be such a sequence.
"""

import re
import unicodedata
from dataclasses import dataclass

ENCODINGS = ("cp1252", "cp1250")


class DecodeError(ValueError):
    """The bytes are not text we can import; the message says why and where."""


@dataclass(frozen=True)
class Repair:
    line: int
    message: str


def _chars(encoding, byte_range):
    out = []
    for b in byte_range:
        try:
            out.append(bytes([b]).decode(encoding))
        except UnicodeDecodeError:
            pass
    return "".join(re.escape(c) for c in out)


def _mojibake_pattern(encoding):
    cont = _chars(encoding, range(0x80, 0xC0))
    lead2 = _chars(encoding, range(0xC2, 0xE0))
    lead3 = _chars(encoding, range(0xE0, 0xF0))
    lead4 = _chars(encoding, range(0xF0, 0xF5))
    return re.compile(f"[{lead2}][{cont}]|[{lead3}][{cont}]{{2}}|[{lead4}][{cont}]{{3}}")


_PATTERNS = {enc: _mojibake_pattern(enc) for enc in ENCODINGS}


def _unmangle(match, encoding):
    seq = match.group(0)
    try:
        fixed = seq.encode(encoding).decode("utf-8")
    except UnicodeError:
        return None
    # Only letters and marks count: "Ã—" decoding to "×" in a sentence about
    # sizes is plausible either way, and we would rather leave it and warn.
    if not all(unicodedata.category(c)[0] in "LMNPS" for c in fixed):
        return None
    return fixed


def fix_mojibake(text):
    """`text` with mojibake sequences replaced; returns (text, [(bad, good), …])."""
    found = []
    for encoding, pattern in _PATTERNS.items():

        def replace(m, encoding=encoding):
            fixed = _unmangle(m, encoding)
            if fixed is None:
                return m.group(0)
            found.append((m.group(0), fixed))
            return fixed

        text = pattern.sub(replace, text)
    return text, found


def suspected_mojibake(text):
    """The mojibake-looking sequences still in `text` (for the editorial checks)."""
    hits = []
    for encoding, pattern in _PATTERNS.items():
        hits += [m.group(0) for m in pattern.finditer(text or "") if _unmangle(m, encoding)]
    if "â€" in (text or ""):  # a curly quote read as 1252, even when half-lost
        hits.append("â€")
    if "\ufffd" in (text or ""):
        hits.append("\ufffd")
    return hits


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def normalize_whitespace(line):
    """Odd spaces become one plain space; zero-width characters go."""
    return _SPACES.sub(" ", line.translate(_INVISIBLE)).strip()


# Among encodings that read a short text equally well, the ones editors'
# tools actually save in; charset-normalizer alone ranks Windows-1250 or
# an Urdu code page first for a few accented letters.
PREFERRED = ("cp1252", "latin_1", "iso8859_15", "cp932", "shift_jis", "euc_jp", "cp1250", "mac_roman")
ENCODING_NAMES = {
    "cp1252": "Windows-1252",
    "latin_1": "Latin-1 (ISO-8859-1)",
    "iso8859_15": "Latin-9 (ISO-8859-15)",
    "cp932": "Shift-JIS",
    "shift_jis": "Shift-JIS",
    "euc_jp": "EUC-JP",
    "cp1250": "Windows-1250",
    "mac_roman": "Mac Roman",
}


def _reads_cleanly(text):
    return "\ufffd" not in text and not any(unicodedata.category(c) == "Cc" and c not in "\t\n\r\f" for c in text)


def _legacy_decoding(data):
    """(text, codec) in the encoding that reads `data` most cleanly, or None when none does."""
    from charset_normalizer import from_bytes

    results = [r for r in from_bytes(data) if _reads_cleanly(str(r))]
    if not results:
        return None
    best = min((r.chaos, -r.coherence) for r in results)
    # Each result stands for every code page that gives the same text.
    codecs = [
        c
        for r in results
        if r.chaos <= best[0] + 0.01 and -r.coherence <= best[1] + 0.01
        for c in r.could_be_from_charset
    ]
    codec = min(codecs, key=lambda c: PREFERRED.index(c) if c in PREFERRED else len(PREFERRED))
    return data.decode(codec), codec


def decode_report(data):
    """
    Bytes from an upload to (text, [Repair]). UTF-8 (with or without a BOM)
    is read as is. Anything else is decoded in the legacy encoding that
    reads it cleanly (Windows-1252, Latin-1, Shift-JIS …), and the report
    names the encoding and every character that needed it, line by line, so
    an editor can check them. Only bytes that no encoding reads cleanly are
    refused, with the line where UTF-8 failed.
    """
    if isinstance(data, str):
        return data, []
    if b"\x00" in data[:8192]:
        raise DecodeError("This is a binary file, not text. Paste the list or upload a .txt or .md file.")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
    found = _legacy_decoding(data)
    if found is None:
        raise DecodeError(
            f"Line {line}: the file is not UTF-8, and no other encoding reads it cleanly. "
            "Save it as UTF-8 and import it again."
        )
    text, codec = found
    name = ENCODING_NAMES.get(codec, codec)
    repairs = [Repair(0, f"The file is not UTF-8: it was read as {name}.")]
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        needed = list(dict.fromkeys(c for c in raw if ord(c) > 127))
        if needed:
            chars = ", ".join(f"“{c}”" for c in needed)
            repairs.append(Repair(number, f"Line {number}: {chars} read as {name}."))
    return text, repairs


def decode(data):
    """Bytes from an upload to text (see `decode_report`)."""
    return decode_report(data)[0]


def repair_lines(text):
    """
    Split `text` into lines, repairing each. Returns (lines, repairs), with
    one Repair per mojibake fix (naming both forms) and one summary for the
    whitespace clean-up.
    """
    if "\x00" in text:
        raise DecodeError("This is a binary file, not text. Paste the list or upload a .txt or .md file.")
    repairs, lines, spaced = [], [], 0
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        fixed, found = fix_mojibake(raw)
        # Name each whole word, which is what an editor can recognise.
        words = []
        for bad, good in dict.fromkeys(found):
            for m in re.finditer(rf"[\w’'-]*{re.escape(bad)}[\w’'-]*", raw):
                words.append((m.start(), m.group(0), m.group(0).replace(bad, good)))
        for _, word, fixed_word in sorted(set(words)):
            repairs.append(Repair(number, f"Line {number}: repaired mojibake “{word}” → “{fixed_word}”."))
        clean = normalize_whitespace(fixed)
        if clean != fixed:
            spaced += 1
        lines.append(clean)
    if spaced:
        repairs.append(Repair(0, f"Whitespace normalised on {spaced} line{'s' if spaced != 1 else ''}."))
    return lines, repairs
