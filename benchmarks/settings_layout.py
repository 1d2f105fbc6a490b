"""The production settings with the benchmark's URLs: the project's plus the empty layout page."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.pages_urls"
