"""Text from a bank file, an answer or an imported row, made safe to print to a terminal.

A terminal acts on control characters: ESC starts sequences that clear the screen, set the
window title or write the clipboard (OSC 52), CR overwrites a line, and C1 characters
(U+0080-U+009F) are one-byte escapes on some terminals. Every printer passes such text
through ``visible``, which shows each of them as a ``\\x1b``-style escape instead, so the
sequence is seen, never run. Bidirectional overrides (which reorder what is shown) and
lone surrogates (undecodable bytes, which cannot be printed) are shown the same way.
"""

from __future__ import annotations

import re

# DEL and C1, bidi embeddings/overrides/isolates, lone surrogates; then C0 but newline and tab
_OTHERS = "\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f{_OTHERS}]")
_UNSAFE_ONE_LINE = re.compile(f"[\x00-\x1f{_OTHERS}]")


# what JSON text may hold raw but a terminal acts on (json escapes C0 itself): escaped as
# \uXXXX, which reads back as the same characters
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code in (0x09, 0x0A, 0x0D):
        return " "  # a line break or tab in a one-line field
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, one_line: bool = False) -> str:
    """``text`` with every control character shown as an escape. Newlines and tabs are kept
    (a CR, alone or in CR LF, is a newline: it never overwrites a line); ``one_line`` turns
    them into spaces, for a title or a table cell."""
    if one_line:
        return _UNSAFE_ONE_LINE.sub(_escape, text)
    return _UNSAFE.sub(_escape, text.replace("\r\n", "\n").replace("\r", "\n"))


def visible_json(text: str) -> str:
    """JSON text (from json.dumps with ensure_ascii=False) safe to print: the same data, with
    DEL, C1, bidi controls and lone surrogates as \\u escapes (accents stay as they are)."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
