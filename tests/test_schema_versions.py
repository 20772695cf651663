"""Records of schema_version 1 (before `modified_at`) and 2 side by side: `validate` and
`merge` take both, each record keeps the fields of its version."""

from __future__ import annotations

from test_cli import article, line, read_jsonl, without, write

from lnv_crawler import cli
from lnv_crawler.items import ARTICLE_FIELDS, SCHEMA_VERSION
from lnv_crawler.schema import violations

V1 = {**without(article("7"), "modified_at"), "schema_version": 1}
V2 = article("8", modified_at="2022-03-16T09:00:00+07:00")


def test_current_version_is_two_with_modified_at():
    assert SCHEMA_VERSION == 2
    assert ARTICLE_FIELDS.index("modified_at") == ARTICLE_FIELDS.index("published_at") + 1


def test_both_versions_validate():
    assert violations(V1) == []
    assert violations(V2) == []
    assert violations({**V2, "modified_at": None}) == []


def test_each_version_has_exactly_its_fields():
    assert violations(without(V2, "modified_at"))  # v2 requires it
    assert violations({**V1, "modified_at": None})  # v1 never had it
    assert violations({**V2, "schema_version": 3})
    assert violations({**V2, "modified_at": "2022-03-16T02:00:00Z"})  # +07:00 only


def test_validate_and_merge_a_mixed_file(tmp_path, capsys):
    source = write(tmp_path / "mixed.jsonl", line(V2), line(V1))
    assert cli.main(["validate", str(source)]) == 0
    assert f"{source}: 2 records, 2 valid, 0 invalid" in capsys.readouterr().out
    output = tmp_path / "corpus.jsonl"
    assert cli.main(["merge", str(source), "-o", str(output)]) == 0
    merged = read_jsonl(output)
    assert merged == [V1, V2]  # ordered by article id, each as it was read
    assert list(merged[1]) == list(ARTICLE_FIELDS)
    assert cli.main(["validate", str(output)]) == 0


def test_a_record_breaking_its_version_fails_validate_and_is_not_merged(tmp_path, capsys):
    broken = [without(V2, "modified_at"), {**V1, "article_id": "9", "modified_at": None}]
    source = write(tmp_path / "broken.jsonl", line(V2), *(line(r) for r in broken))
    assert cli.main(["validate", str(source)]) == 1
    out = capsys.readouterr().out
    assert f"{source}: 3 records, 1 valid, 2 invalid" in out
    assert "modified_at" in out
    output = tmp_path / "corpus.jsonl"
    assert cli.main(["merge", str(source), "-o", str(output)]) == 0
    assert read_jsonl(output) == [V2]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.jsonl", "corpus.jsonl"]
