"""Score Hugging Face ``datasets`` (``Dataset`` and ``IterableDataset``) with framing.

Built on ``map(batched=True)``, so a ``Dataset`` result is cached on disk under a fingerprint
and an ``IterableDataset`` stays lazy (nothing is scored until it is iterated):

- ``level="article"`` adds the article columns of :mod:`framing.batch.tables` to every row and keeps
  the existing columns; it refuses to overwrite a column of the same name.
- ``level="section"`` / ``"sentence"`` / ``"attribution"`` build a new dataset of one or more rows
  per input row, with an ``id`` column from ``id_column`` or the input row number, and the
  ``keep_columns`` (outlet, date, event, ...) copied after it into every row: for a ``Dataset`` with
  ``map`` (which may return more rows than it was given once the input columns are removed), for
  an ``IterableDataset`` with a generator over its batches (its columns may be unknown up front).

A row whose text cannot be analyzed gets ``error`` and ``error_message`` instead of a failure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from framing.batch import analyze_many
from framing.model import load
from framing.classify.base import SentenceClassifier
from framing.batch.tables import arrow_schema, check_kept, check_level, column_names, output_names, rows, with_kept

if TYPE_CHECKING:
    import datasets

#: Input rows per ``map`` call; analyze_many pools their sentences into classifier batches.
MAP_BATCH_ROWS = 256


def _features(level: str, drop_id: bool, kept: "dict[str, Any] | None" = None) -> "datasets.Features":
    import datasets

    schema = arrow_schema(level)
    if drop_id:
        schema = schema.remove(schema.get_field_index("id"))
    features = datasets.Features.from_arrow_schema(schema)
    if not kept:
        return features
    items = list(features.items())
    return datasets.Features(dict(items[:1] + list(kept.items()) + items[1:]))


def score_dataset(
    ds: "datasets.Dataset | datasets.IterableDataset",
    text_column: str = "text",
    level: str = "article",
    id_column: str | None = None,
    classifier: str | SentenceClassifier | None = None,
    batch_size: int = 256,
    markdown: bool | None = None,
    attribution: str | None = "tagger",
    keep_columns: "list[str] | tuple[str, ...]" = (),
) -> "datasets.Dataset | datasets.IterableDataset":
    """Return ``ds`` scored at ``level`` (the same kind of dataset as the input).

    ``batch_size`` is the number of sentences per classifier call, as in ``analyze_many``.
    ``keep_columns``: input columns copied into every row at the section, sentence and
    attribution levels (the article level keeps every input column anyway).
    """
    try:
        import datasets
    except ImportError as exc:
        raise ImportError("score_dataset needs the datasets package: pip install 'framing[hf]'") from exc

    check_level(level)
    model = load(classifier, attribution=attribution)
    names = ds.column_names  # None for an IterableDataset of unknown features
    if names is not None:
        if text_column not in names:
            raise ValueError(f"the dataset has no column {text_column!r}; its columns are {names}")
        if id_column is not None and id_column not in names:
            raise ValueError(f"the dataset has no column {id_column!r}; its columns are {names}")
        missing = [c for c in keep_columns if c not in names]
        if missing:
            raise ValueError(f"cannot keep {missing}: the dataset has no such column; its columns are {names}")
    keep = [] if level == "article" else list(keep_columns)
    check_kept(keep, level)

    def analyze(texts: list[Any]) -> list[Any]:
        return list(analyze_many(texts, classifier=model, attribution=attribution, batch_size=batch_size, markdown=markdown))

    kwargs: dict[str, Any] = {"batched": True, "batch_size": MAP_BATCH_ROWS}
    fingerprint = getattr(ds, "_fingerprint", None)
    if isinstance(ds, datasets.Dataset) and fingerprint is not None:
        from datasets.fingerprint import Hasher

        # The classifier object may not hash reliably (a torch model); its name and the options do.
        kwargs["new_fingerprint"] = Hasher.hash(
            ["framing.score_dataset", fingerprint, text_column, level, id_column, model.name, attribution, markdown,
             list(keep_columns)]
        )
        kwargs["desc"] = f"framing ({level})"

    if level == "article":
        new = [c for c in column_names("article") if c != "id"]
        taken = sorted(set(new) & set(names or ()))
        if taken:
            raise ValueError(
                f"the dataset already has columns {taken}, which score_dataset would overwrite; "
                f"rename or remove them first, e.g. ds.remove_columns({taken})"
            )

        def add_columns(batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
            taken = sorted(set(new) & set(batch))  # an IterableDataset may only tell here
            if taken:
                raise ValueError(f"the dataset already has columns {taken}, which score_dataset would overwrite")
            out: dict[str, list[Any]] = {c: [] for c in new}
            for result in analyze(batch[text_column]):
                row = rows("article", None, result)[0]
                for c in new:
                    out[c].append(row[c])
            return out

        features = None
        if ds.features is not None:
            features = datasets.Features({**ds.features, **_features("article", drop_id=True)})
        return ds.map(add_columns, features=features, **kwargs)

    name = classifier if classifier is None or isinstance(classifier, str) else model.name
    scorer = _Exploder(model, _ExplodeOptions(name, attribution, batch_size, markdown, level, tuple(keep), id_column, text_column))
    kept_features = {c: ds.features[c] for c in keep} if keep and ds.features is not None else None
    if isinstance(ds, datasets.Dataset):
        return ds.map(scorer.explode, with_indices=True, remove_columns=names,
                      features=_features(level, False, kept_features), **kwargs)

    # An IterableDataset may not know its columns before it is read, so map() cannot drop them;
    # a generator over its batches builds the new rows instead, just as lazily.
    features = None if keep and kept_features is None else _features(level, False, kept_features)
    return datasets.IterableDataset.from_generator(scorer, features=features, gen_kwargs={"source": ds})


class _Exploder:
    """The rows of a section, sentence or attribution table for batches of input rows; called
    with an IterableDataset, the generator of its new rows.

    ``datasets`` fingerprints a generator by pickling it: this one pickles as the options it was
    made from, the classifier by name (a loaded model does not pickle: torch's int8 weights fail
    with "unsupported ScalarType QInt8"), and is made again from them when unpickled.
    """

    def __init__(self, model: Any, options: "_ExplodeOptions") -> None:
        self.model = model
        self.options = options

    def __reduce__(self) -> Any:
        return (_exploder, (self.options,))

    def explode(self, batch: dict[str, list[Any]], indices: list[int]) -> dict[str, list[Any]]:
        o = self.options
        ids = batch[o.id_column] if o.id_column is not None else indices
        out: dict[str, list[Any]] = {c: [] for c in output_names(o.level, o.keep)}
        kept = list(zip(*(batch[c] for c in o.keep))) if o.keep else [()] * len(ids)
        results = analyze_many(batch[o.text_column], classifier=self.model, attribution=o.attribution,
                               batch_size=o.batch_size, markdown=o.markdown)
        for record_id, values, result in zip(ids, kept, results):
            for row in with_kept(rows(o.level, None if record_id is None else str(record_id), result), o.keep, values):
                for c, v in row.items():
                    out[c].append(v)
        return out

    def __call__(self, source: "datasets.IterableDataset") -> Any:
        start = 0
        for batch in source.iter(batch_size=MAP_BATCH_ROWS):
            n = len(batch[self.options.text_column])
            exploded = self.explode(batch, list(range(start, start + n)))
            start += n
            for i in range(len(exploded["id"])):
                yield {c: exploded[c][i] for c in exploded}


class _ExplodeOptions(NamedTuple):
    """What an _Exploder is made from; ``classifier`` is a name (or None), never a model."""

    classifier: str | None
    attribution: str | None
    batch_size: int
    markdown: bool | None
    level: str
    keep: tuple[str, ...]
    id_column: str | None
    text_column: str


def _exploder(options: _ExplodeOptions) -> _Exploder:
    return _Exploder(load(options.classifier, attribution=options.attribution), options)


__all__ = ["score_dataset"]
