"""Settings for the load runs only (bench/load): the project's settings, plus the bare comparison view's URL.

The production URLs (anju.urls) are untouched: this module's ROOT_URLCONF includes them and adds /bench/bare/,
so the route × role test (tests/test_routes.py, which walks anju.urls) never sees it. Static files are collected
into BENCH_STATIC_ROOT so that a run does not touch var/static.
"""
import os

from anju.settings import *  # noqa: F403

ROOT_URLCONF = "bench.load.urls"
if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
