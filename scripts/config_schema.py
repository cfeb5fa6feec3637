"""Write schemas/config.schema.json from the commands' options (datacheck/cli/config_schema.py).

Run it after adding an option or a command; tests/test_config.py fails until the file matches:

    python scripts/config_schema.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import typer.main  # noqa: E402

from datacheck.cli import app  # noqa: E402
from datacheck.cli.config_schema import config_json_schema  # noqa: E402

TARGET = ROOT / "schemas" / "config.schema.json"


def main() -> None:
    document = config_json_schema(typer.main.get_command(app))
    TARGET.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
