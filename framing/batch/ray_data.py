"""Score a Ray Dataset with framing: ``ds.map_batches(FramingScorer, ...)``, nothing more.

Ray does the distribution: each actor loads the classifier once in ``__init__`` and scores
batches of rows with :func:`framing.analyze_many`; the rows come from :mod:`framing.batch.tables`, so
they match the ``framing score`` command and the Hugging Face path column for column. Ray is an
optional dependency (``pip install 'framing[ray]'``) imported only here.

On a cluster, connect first (``ray.init(address="auto")`` or ``RAY_ADDRESS``) and every node
needs framing installed; the rest is the same as on a laptop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from framing.batch import analyze_many
from framing.model import load
from framing.classify.base import SentenceClassifier
from framing.batch.tables import arrow_schema, check_level, column_names, rows

if TYPE_CHECKING:
    import pyarrow as pa
    import ray.data

INSTALL_HINT = "Ray Data is not installed: pip install 'framing[ray]' (or pip install 'ray[data]')"


def _require_ray() -> Any:
    try:
        import ray.data
    except ImportError as exc:
        raise ImportError(INSTALL_HINT) from exc
    return ray


def _overwritten(names: list[str]) -> list[str]:
    return sorted(set(names) & (set(column_names("article")) - {"id"}))


class FramingScorer:
    """A Ray Data callable class: the classifier is loaded once per actor, then reused.

    Takes and returns ``pyarrow.Table`` batches (``batch_format="pyarrow"``): Arrow keeps a
    missing text as None (pandas would turn it into NaN) and the output columns typed.
    """

    def __init__(
        self,
        text_column: str = "text",
        level: str = "article",
        id_column: str | None = None,
        classifier: str | SentenceClassifier | None = None,
        batch_size: int = 256,
        markdown: bool | None = None,
        attribution: str | None = "tagger",
    ) -> None:
        self.text_column = text_column
        self.level = check_level(level)
        self.id_column = id_column
        self.batch_size = batch_size
        self.markdown = markdown
        self.attribution = attribution
        self.model = load(classifier, attribution=attribution)

    def __call__(self, batch: "pa.Table") -> "pa.Table":
        import pyarrow as pa

        results = analyze_many(
            batch.column(self.text_column).to_pylist(),
            classifier=self.model,
            attribution=self.attribution,
            batch_size=self.batch_size,
            markdown=self.markdown,
        )
        if self.level == "article":
            taken = _overwritten(batch.column_names)
            if taken:
                raise ValueError(f"the dataset already has columns {taken}, which scoring would overwrite")
            table = pa.Table.from_pylist([rows("article", None, r)[0] for r in results], schema=arrow_schema("article"))
            for name in table.column_names[1:]:  # every column but id
                batch = batch.append_column(table.schema.field(name), table.column(name))
            return batch
        ids = batch.column(self.id_column).to_pylist()
        out = [row for i, r in zip(ids, results) for row in rows(self.level, None if i is None else str(i), r)]
        return pa.Table.from_pylist(out, schema=arrow_schema(self.level))


def score_ray_dataset(
    ds: "ray.data.Dataset",
    text_column: str = "text",
    level: str = "article",
    id_column: str | None = None,
    classifier: str | None = None,
    batch_size: int = 256,
    concurrency: int | tuple[int, int] = 1,
    rows_per_batch: int = 256,
    markdown: bool | None = None,
    attribution: str | None = "tagger",
    **map_batches_kwargs: Any,
) -> "ray.data.Dataset":
    """Return a lazy Ray Dataset scored at ``level`` by ``concurrency`` FramingScorer actors.

    ``level="article"`` keeps the input columns and adds the article columns; ``"section"`` and
    ``"sentence"`` give one or more rows per input row and need ``id_column`` (Ray rows have no
    stable position to use instead). ``batch_size`` is sentences per classifier call,
    ``rows_per_batch`` input rows per actor call; other keyword arguments (``num_cpus``,
    ``num_gpus``...) go to ``map_batches``.
    """
    _require_ray()
    check_level(level)
    if level != "article" and id_column is None:
        raise ValueError(f"level={level!r} needs id_column: Ray rows have no stable position to use as id")
    names = ds.columns()
    missing = [c for c in (text_column, id_column) if c is not None and c not in names]
    if missing:
        raise ValueError(f"the dataset has no column {missing[0]!r}; its columns are {names}")
    if level == "article" and _overwritten(names):
        taken = _overwritten(names)
        raise ValueError(
            f"the dataset already has columns {taken}, which scoring would overwrite; "
            f"drop or rename them first, e.g. ds.drop_columns({taken})"
        )
    if classifier is not None and not isinstance(classifier, str):
        raise TypeError("classifier must be a name: each Ray actor loads its own copy")
    return ds.map_batches(
        FramingScorer,
        fn_constructor_kwargs={
            "text_column": text_column,
            "level": level,
            "id_column": id_column,
            "classifier": classifier,
            "batch_size": batch_size,
            "markdown": markdown,
            "attribution": attribution,
        },
        concurrency=concurrency,
        batch_size=rows_per_batch,
        batch_format="pyarrow",
        **map_batches_kwargs,
    )


__all__ = ["FramingScorer", "score_ray_dataset"]
