"""The state folder's recheck data, dead links and flags (real SQLite files), and
the pure helpers of incremental runs."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from scrapy.settings import Settings

from lnv_crawler.incremental import apply_run_budget, content_hash
from lnv_crawler.state import ArticleCheck, SeenArticles

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
URL = "https://langngheviet.com.vn/bai-{}-{}.html"


def test_recent_articles_are_the_written_ones_inside_the_window(tmp_path):
    store = SeenArticles(tmp_path)
    checks = {
        URL.format("moi", 1): ArticleCheck("2026-11-30T20:00:00+07:00", "h1", '"e1"', None),
        URL.format("cu", 2): ArticleCheck("2026-11-20T08:00:00+07:00", "h2"),
        URL.format("khong-ngay", 3): ArticleCheck(None, "h3"),
    }
    store.record([(url, str(n)) for n, url in enumerate(checks)], "out.jsonl", checks=checks)
    store.close()
    recent = SeenArticles(tmp_path).recent(3, now=NOW)
    assert recent == {URL.format("moi", 1): checks[URL.format("moi", 1)]}


def test_recheck_data_of_an_article_never_written_is_not_recent(tmp_path):
    store = SeenArticles(tmp_path)
    url = URL.format("chua-ghi", 4)
    store.record([], "out.jsonl", checks={url: ArticleCheck("2026-11-30T20:00:00+07:00")})
    assert store.recent(3, now=NOW) == {}


def test_a_dead_link_is_dead_for_its_window_and_revived_when_written(tmp_path):
    store = SeenArticles(tmp_path)
    url = URL.format("chet", 5)
    store.record([], "a.jsonl", dead={url: 404})
    store.close()
    store = SeenArticles(tmp_path)
    now = datetime.now(timezone.utc)
    assert store.dead_since(url, 7, now=now) is not None
    assert store.dead_since(url, 7, now=now + timedelta(days=7, minutes=1)) is None
    store.record([(url, "5")], "b.jsonl")
    store.close()
    assert url not in SeenArticles(tmp_path).dead


def test_flags_are_set_and_cleared(tmp_path):
    store = SeenArticles(tmp_path)
    store.set_flag("x", "shutdown")
    assert SeenArticles(tmp_path).flag("x") == "shutdown"
    store.set_flag("x", None)
    assert SeenArticles(tmp_path).flag("x") is None


def test_content_hash_sees_title_sapo_and_body_only():
    base = content_hash("Tiêu đề", "Sapo", ["Đoạn một.", "Đoạn hai."])
    assert base == content_hash("Tiêu đề", "Sapo", ["Đoạn một.", "Đoạn hai."])
    assert base != content_hash("Tiêu đề mới", "Sapo", ["Đoạn một.", "Đoạn hai."])
    assert base != content_hash("Tiêu đề", None, ["Đoạn một.", "Đoạn hai."])
    assert base != content_hash("Tiêu đề", "Sapo", ["Đoạn một. Đoạn hai."])


def test_run_budget_becomes_closespider_timeout_the_smaller_wins():
    settings = Settings({"LNV_MAX_RUN_MINUTES": 50, "CLOSESPIDER_TIMEOUT": 0})
    apply_run_budget(settings)
    assert settings.getfloat("CLOSESPIDER_TIMEOUT") == 3000
    settings = Settings({"LNV_MAX_RUN_MINUTES": 50, "CLOSESPIDER_TIMEOUT": 60})
    apply_run_budget(settings)
    assert settings.getfloat("CLOSESPIDER_TIMEOUT") == 60
    settings = Settings({"LNV_MAX_RUN_MINUTES": 0, "CLOSESPIDER_TIMEOUT": 0})
    apply_run_budget(settings)
    assert settings.getfloat("CLOSESPIDER_TIMEOUT") == 0
