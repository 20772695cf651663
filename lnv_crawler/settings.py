"""Scrapy settings for lnv_crawler (see README "Options" for the LNV_* ones)."""

BOT_NAME = "lnv_crawler"
SPIDER_MODULES = ["lnv_crawler.spiders"]
NEWSPIDER_MODULE = "lnv_crawler.spiders"
COMMANDS_MODULE = "lnv_crawler.commands"

# Politeness: identify ourselves, obey robots.txt, stay gentle on one host.
LNV_CONTACT = "https://github.com/lnv-crawler/lnv_crawler"
USER_AGENT = f"lnv_crawler/0.1 (+{LNV_CONTACT}; research crawler of langngheviet.com.vn)"
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
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # no listening ports on a cron host

# Listing pages followed per category (0: no limit). Bounds pager traps.
LNV_MAX_LISTING_PAGES = 200

# Incremental runs: articles written by earlier runs are not fetched again.
LNV_STATE_DIR = "output/.state"

DOWNLOADER_MIDDLEWARES = {
    "lnv_crawler.middlewares.IncrementalStateMiddleware": 40,
    "lnv_crawler.middlewares.SiteOnlyMiddleware": 50,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "lnv_crawler.middlewares.BackoffRetryMiddleware": 550,
}
ITEM_PIPELINES = {
    "lnv_crawler.pipelines.NormalizePipeline": 100,
    "lnv_crawler.pipelines.ValidatePipeline": 200,
    "lnv_crawler.pipelines.DedupPipeline": 300,
}
EXTENSIONS = {
    "lnv_crawler.extensions.RunOutcome": 500,
}

# Output: output/lnv-<UTC timestamp>.jsonl, written aside and renamed when complete.
# The spider adds it to FEEDS only when the command line (-o/-O) gave no feed.
LNV_DEFAULT_FEED = "output/lnv-%(run_id)s.jsonl"
FEED_STORAGES = {
    "": "lnv_crawler.feeds.AtomicFileFeedStorage",
    "file": "lnv_crawler.feeds.AtomicFileFeedStorage",
}
FEED_EXPORT_ENCODING = "utf-8"
FEED_STORE_EMPTY = True

LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
