"""The bank and the grader's bank-wide statistics, kept in a per-user cache between runs.

A cold ``designprep grade`` spends most of its time before grading: parsing and validating
every YAML file of the bank, then re-tokenising every text for the grader's word weights
and topic model. None of that changes until a bank file or designprep itself does, so
the validated bank and the prepared ``Grader`` are pickled into the user cache folder,
keyed by every file's path, size and modification time under each bank folder and under
designprep's own package. It is only a cache: a missing, stale, damaged or foreign file
is rebuilt, never an error, and a folder that cannot be written just means no cache.

Pickle runs code when it loads, so a cache file is read only from a folder and a file
owned by the current user that nobody else can write, and only when its SHA-256 checksum
matches; anything else is ignored and replaced.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from designprep import __version__, locations
from designprep.bank.loader import Bank, load_bank
from designprep.grading import GRADER_VERSION, Grader

NO_CACHE_ENV = "DESIGNPREP_NO_CACHE"  # set to 1 to always load from the files
_MAGIC = b"designprep-bank-cache 1\n"
_KEEP = 4  # cache files kept: a few bank combinations (--bank folders) without thrashing
_PACKAGE_DIR = Path(__file__).resolve().parent

_last: list[Grader] = []  # the grader prepared with the latest bank ``load`` returned


def load(extra_dirs: Sequence[Path] = (), *, include_bundled: bool = True) -> Bank:
    """``load_bank``, from the cache when no file it depends on has changed."""
    roots = [Path(d) for d in extra_dirs]
    if include_bundled:
        roots = [locations.bundled_question_bank(), locations.bundled_rubrics(), *roots]
    folder = locations.cache_dir()
    enabled = not os.environ.get(NO_CACHE_ENV)
    key = _key(roots, include_bundled) if enabled else ""
    grader = _read(folder / f"bank-{key}.pickle") if enabled else None
    if grader is None:
        grader = Grader(load_bank(extra_dirs, include_bundled=include_bundled)).prepare()
        if enabled:
            _write(folder, f"bank-{key}.pickle", grader)
    _last[:] = [grader]  # only the latest: an app that reloads the bank frees the old one
    return grader.bank


def grader_for(bank: Bank) -> Grader:
    """The grader prepared with ``bank`` by ``load``, or a new one."""
    return _last[0] if _last and _last[0].bank is bank else Grader(bank)


def _key(roots: Sequence[Path], include_bundled: bool) -> str:
    digest = hashlib.sha256()
    head = (__version__, GRADER_VERSION, sys.version, include_bundled, str(_PACKAGE_DIR))
    digest.update(repr(head).encode())
    for root in (_PACKAGE_DIR, *roots):
        digest.update(f"\0root {root.resolve() if root.exists() else root}\n".encode())
        for line in _listing(root):
            digest.update(line.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:32]


def _listing(root: Path) -> Iterator[str]:
    """Path, size and modification time of every file below ``root``, in a fixed order."""
    for here, dirs, files in os.walk(root, followlinks=False):
        dirs.sort()
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in sorted(files):
            path = os.path.join(here, name)
            try:
                st = os.stat(path)  # follows a symlinked file, as the loader does
            except OSError:
                yield f"{path}\0missing\n"
                continue
            yield f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n"


def _private(path: Path) -> bool:
    """Owned by this user and writable by nobody else (always true where there are no uids)."""
    if not hasattr(os, "getuid"):
        return True
    st = path.stat()
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def _read(path: Path) -> Grader | None:
    try:
        if not (_private(path.parent) and _private(path)):
            return None
        blob = path.read_bytes()
    except OSError:
        return None
    if not blob.startswith(_MAGIC):
        return None
    checksum, _, payload = blob[len(_MAGIC) :].partition(b"\n")
    if hashlib.sha256(payload).hexdigest().encode() != checksum:
        return None
    try:
        grader = pickle.loads(payload)  # safe: a private, checksummed file (see above)
    except Exception:  # a cache from other code: rebuild it
        return None
    return grader if isinstance(grader, Grader) else None


def _write(folder: Path, name: str, grader: Grader) -> None:
    """Write atomically (temporary file, then rename), so a reader never sees half a file."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(folder):
            return
        payload = pickle.dumps(grader, protocol=pickle.HIGHEST_PROTOCOL)
        checksum = hashlib.sha256(payload).hexdigest().encode()
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".bank-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(_MAGIC + checksum + b"\n" + payload)
            os.replace(tmp, folder / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(folder, keep=name)
    except (OSError, pickle.PicklingError):
        return  # no cache this time; everything still works


def _prune(folder: Path, keep: str) -> None:
    others = sorted(
        (p for p in folder.glob("bank-*.pickle") if p.name != keep),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in others[_KEEP - 1 :]:
        old.unlink(missing_ok=True)
