"""Scrapy settings for lnv_crawler (see README "Options" for the LNV_* ones)."""

import warnings

from scrapy.exceptions import ScrapyDeprecationWarning

# spidermon 1.27 still calls Spider.log(); the warning says nothing to an operator.
warnings.filterwarnings("ignore", category=ScrapyDeprecationWarning, module="spidermon")

BOT_NAME = "lnv_crawler"
SPIDER_MODULES = ["lnv_crawler.spiders"]
NEWSPIDER_MODULE = "lnv_crawler.spiders"
COMMANDS_MODULE = "lnv_crawler.commands"

# Politeness: identify ourselves, obey robots.txt, stay gentle on one host.
LNV_CONTACT = "https://github.com/lnv-crawler/lnv_crawler"
# USER_AGENT is made from this for every run (runs.py), so that -s LNV_CONTACT=... counts.
LNV_USER_AGENT = "lnv_crawler/{version} (+{contact}; research crawler of langngheviet.com.vn)"
USER_AGENT = LNV_USER_AGENT.format(version="0.1", contact=LNV_CONTACT)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
RETRY_BACKOFF_BASE = 1.0  # seconds before the first retry of a 429/5xx, doubled each time
RETRY_BACKOFF_MAX = 60.0  # cap, also on what a Retry-After header asks for
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
CONCURRENT_ITEMS = 10  # one item per page: Scrapy's 100 parallel slots only cost time
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # no listening ports on a cron host

# Distributed mode: set REDIS_URL (redis://host:6379) to share the queue and seen-set
# between workers (lnv_crawler/distributed.py); a worker exits after the shared
# queue has stayed empty this long.
REDIS_URL = None
LNV_REDIS_IDLE_SECONDS = 10.0

# Listing pages followed per category (0: no limit). Bounds pager traps.
LNV_MAX_LISTING_PAGES = 200

# Incremental runs: articles written by earlier runs are not fetched again.
LNV_STATE_DIR = "output/.state"
# Cron runs cost what changed (contract §6): a listing's walk stops after this many pages
# in a row with no article unknown to the state (0: never; -a backfill=1 walks them all);
# articles published in the last LNV_RECHECK_DAYS days are fetched again (conditionally)
# for edits; a link that answered 404/410 is not asked again for LNV_DEAD_LINK_DAYS days;
# at most LNV_MAX_LINKS_PER_PAGE links are followed from one page (0: no limit);
# LNV_MAX_RUN_MINUTES ends a run gracefully, like a SIGTERM (0: no limit).
LNV_LISTING_STOP_AFTER = 1
LNV_RECHECK_DAYS = 3.0  # days: fractions allowed
LNV_DEAD_LINK_DAYS = 7.0
LNV_MAX_LINKS_PER_PAGE = 300
LNV_MAX_RUN_MINUTES = 0.0
# Retries before new links: Scrapy lowers a retry's priority by 1 by default, so a
# flood of new links could starve it; raised above every priority the spider gives.
RETRY_PRIORITY_ADJUST = 100
# Mirror mode (-a base_url=...) keeps its output and state apart from the live ones.
LNV_MIRROR_FEED = "output/mirror/lnv-%(run_id)s.jsonl"
LNV_MIRROR_STATE_DIR = "output/mirror/.state"
# A folder of saved pages (-a base_url=file:///folder) answers like a server:
# a folder is its index.html, a page not saved is a 404.
DOWNLOAD_HANDLERS = {"file": "lnv_crawler.filemirror.SavedPagesHandler"}

DOWNLOADER_MIDDLEWARES = {
    "lnv_crawler.middlewares.IncrementalStateMiddleware": 40,
    "lnv_crawler.middlewares.SiteOnlyMiddleware": 50,
    # Scrapy's, with an unreachable robots.txt said in one warning line (robots.py).
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "lnv_crawler.robots.RobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "lnv_crawler.middlewares.BackoffRetryMiddleware": 550,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "lnv_crawler.middlewares.LoopSafeRedirectMiddleware": 600,
    # Nearest the downloader: sees bodies still compressed, redirects and errors.
    "lnv_crawler.warc.WarcArchive": 950,
}
ITEM_PIPELINES = {
    "lnv_crawler.pipelines.NormalizePipeline": 100,
    "lnv_crawler.pipelines.ValidatePipeline": 200,
    "lnv_crawler.incremental.RecheckPipeline": 250,
    "lnv_crawler.pipelines.DedupPipeline": 300,
}
EXTENSIONS = {
    # CLOSESPIDER_* limits stop within seconds, as a first SIGINT/SIGTERM does.
    "scrapy.extensions.closespider.CloseSpider": None,
    "lnv_crawler.stopping.PromptCloseSpider": 0,
    "lnv_crawler.collection.CrawlCollection": 1,  # garbage collection set for a crawl
    "lnv_crawler.history.RunFigures": 490,  # before Spidermon: the monitors read its figures
    "spidermon.contrib.scrapy.extensions.Spidermon": 500,  # after CoreStats (finish_reason)
    # After Spidermon: a run that failed a monitor must not publish its file (feeds.py).
    "scrapy.extensions.feedexport.FeedExporter": 505,
    "lnv_crawler.extensions.RunOutcome": 510,
}

# Monitors at the close of every crawl (lnv_crawler/monitors.py). A failed one is
# named in the run summary and makes the exit status non-zero.
SPIDERMON_ENABLED = True
SPIDERMON_SPIDER_CLOSE_MONITORS = ["lnv_crawler.monitors.CloseSuite"]
SPIDERMON_ADD_FIELD_COVERAGE = True
SPIDERMON_DICT_FIELDS_COVERAGE_LEVELS = 0  # top-level fields only: cheap per item
SPIDERMON_FIELD_COVERAGE_SKIP_NONE = True  # null is not coverage
SPIDERMON_EXPECTED_FINISH_REASONS = [  # a graceful stop and the CLOSESPIDER_* limits are fine
    "finished", "shutdown", "closespider_timeout", "closespider_itemcount",
    "closespider_pagecount", "closespider_timeout_no_item", "closespider_pagecount_no_item"]
SPIDERMON_MAX_ERRORS = 100  # ERROR log lines
LNV_MONITOR_MIN_ITEMS = 0  # an incremental run over an unchanged site writes nothing
LNV_MONITOR_MAX_FAILED_SHARE = 0.20  # 5xx, timeouts, connection errors / requests
LNV_MONITOR_MAX_EMPTY_ARTICLE_SHARE = 0.20  # article pages (200) that gave no record
LNV_MONITOR_DRIFT_MIN_PAGES = 5  # ... judged once this many article pages were fetched
LNV_MONITOR_COVERAGE_MIN_ITEMS = 20  # field coverage is judged on runs this large
# Absolute floors only for the fields every article has; every field is also judged
# against the site's own history in the state folder (lnv_crawler/history.py).
LNV_FIELD_COVERAGE = {
    "title": 0.99,
    "body": 0.99,
    "published_at": 0.90,
}
LNV_HISTORY_RUNS = 10  # the baseline: median of the last this many healthy runs
LNV_MONITOR_COVERAGE_CHANCE = 0.005  # a fall that chance gives more often is no alarm
LNV_ACCEPT_BASELINE = False  # 1: this run is the new baseline (the site really changed)

# The run's archive (lnv_crawler/warc.py): output/warc/lnv-<run_id>.warc.gz; empty: off.
# gzip level 3: on the sample pages about half the CPU of level 9 (0.25 vs 0.46 ms a
# page) for 10 % more disk; level 1 saves little more time and costs 5 % more disk.
LNV_WARC_DIR = "output/warc"
LNV_WARC_GZIP_LEVEL = 3

# Output: output/lnv-<run id>.jsonl, written aside and renamed when complete.
# The crawl command adds it to FEEDS only when the command line (-o/-O) gave no feed.
LNV_DEFAULT_FEED = "output/lnv-%(run_id)s.jsonl"
FEED_STORAGES = {
    "": "lnv_crawler.feeds.AtomicFileFeedStorage",
    "file": "lnv_crawler.feeds.AtomicFileFeedStorage",
}
FEED_EXPORT_ENCODING = "utf-8"
FEED_STORE_EMPTY = False  # a run that wrote nothing publishes no file (its summary says so)

LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
