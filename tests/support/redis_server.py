"""The machine's Redis for the tests of the Redis-counted rate limits: each test gets a key prefix of its own
(its keys are deleted afterwards), so tests beside each other never see each other's counts."""

import os
import uuid

import pytest
import redis

from tests.support.databases import IN_CI

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/0")


def require_redis() -> redis.Redis:
    """A client of the suite's Redis; skip when it is missing (under CI, fail instead)."""
    client = redis.Redis.from_url(REDIS_TEST_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        message = f"Redis is not reachable at {REDIS_TEST_URL}"
        if IN_CI:
            pytest.fail(message + " (CI=true: Redis is required)", pytrace=False)
        pytest.skip(message)
    return client


@pytest.fixture
def redis_limits(app, monkeypatch):
    """The app's rate limits counted in Redis under a prefix of this test's own; returns (client, prefix)."""
    client = require_redis()
    prefix = f"shop-test-{uuid.uuid4().hex[:10]}:"
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_TEST_URL)
    monkeypatch.setitem(app.config, "REDIS_PREFIX", prefix)
    yield client, prefix
    for key in client.scan_iter(match=f"{prefix}*"):
        client.delete(key)
    client.close()
