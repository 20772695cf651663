"""The bundled sample site: pages, their expected records, and a loopback server."""

from __future__ import annotations

import json
from pathlib import Path

SITE_DIR = Path(__file__).parent / "site"
EXPECTED_DIR = Path(__file__).parent / "expected"


def expected_records() -> dict[str, dict]:
    """Expected record of every sample article, by canonical URL."""
    records = (json.loads(p.read_text("utf-8")) for p in sorted(EXPECTED_DIR.glob("*.json")))
    return {r["url"]: r for r in records}


def page_path(url_path: str, root: Path = SITE_DIR) -> Path:
    """File that serves a URL path (see the server's mapping rule)."""
    path = root / url_path.lstrip("/")
    return path / "index.html" if path.is_dir() else path
