"""A real S3-compatible server for the suite: moto's standalone server (`moto_server`) on a free port.

`s3_server` (session) starts it; `s3_storage` points the app's STORAGE_URL at a bucket of its own for one test,
so the shop's files go through shop.core.storage.S3Storage and boto3 over HTTP, as in production.
"""

import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
import pytest
import requests

from shop.payments.local_server import free_port

REGION = "us-east-1"


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    port = free_port()
    log = (tmp_path_factory.mktemp("moto") / "moto.log").open("w")
    process = subprocess.Popen([str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                               stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(f"{url}/moto-api/", timeout=1)
            break
        except requests.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError(f"moto_server did not start; see {log.name}") from None
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture
def s3_storage(app, s3_server, monkeypatch):
    """The app's files in a fresh bucket of the local S3 server; returns (boto3 client, bucket)."""
    for name, value in {"AWS_ACCESS_KEY_ID": "suite", "AWS_SECRET_ACCESS_KEY": "suite-secret",
                        "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(name, value)
    bucket = f"shop-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_server, region_name=REGION)
    client.create_bucket(Bucket=bucket)
    for key, value in {"STORAGE_URL": f"s3://{bucket}/shop", "S3_ENDPOINT_URL": s3_server, "S3_REGION": REGION,
                       "SIGNED_URL_SECONDS": 60}.items():
        monkeypatch.setitem(app.config, key, value)
    return client, bucket


def keys_in(client, bucket):
    listed = client.list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listed.get("Contents", []))
