"""``python -m framing.train --out models/framing-v1`` (see ``--help``)."""

from framing.train.train import main

if __name__ == "__main__":
    raise SystemExit(main())
