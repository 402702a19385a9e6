"""Write the generated SDL to schema.graphql (python -m graphql_api.export_schema)."""

from __future__ import annotations

import sys
from pathlib import Path

from graphql_api.schema import print_sdl

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema.graphql"


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else SCHEMA_PATH
    target.write_text(print_sdl(), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
