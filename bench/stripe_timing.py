"""A gunicorn config file for bench/checkout.py: how long each request waited for the payment processor.

    gunicorn -c bench/stripe_timing.py ...   (with BENCH_TIMING_LOG=<file> in the environment)

In every worker (sync workers: one request at a time per process) it wraps the stripe SDK's HTTP calls
(`HTTPClient._request_with_retries_internal`, retries and their pauses included) with a clock, and after
each request appends one line to BENCH_TIMING_LOG:

    TIMING <method> <path> <status> <ms in the worker> <ms waiting for stripe> <stripe calls> <CPU ms>

"ms in the worker" runs from gunicorn's pre_request hook to its post_request hook, which is what the
access log's request time covers; "CPU ms" is the worker process's CPU time over the same span (what is
left of "ms in the worker" after the CPU and the stripe wait is waiting for the database, its locks, or
for a core on a busy machine). Only hooks are defined here, so the command line's settings stand.
"""

import os
import time

_clock = {"start": 0.0, "cpu": 0.0, "stripe": 0.0, "calls": 0, "log": None}


def post_fork(server, worker):
    import stripe._http_client as http_client

    original = http_client.HTTPClient._request_with_retries_internal

    def timed(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            _clock["stripe"] += time.perf_counter() - start
            _clock["calls"] += 1

    http_client.HTTPClient._request_with_retries_internal = timed
    _clock["log"] = open(os.environ["BENCH_TIMING_LOG"], "a", buffering=1)  # noqa: SIM115 (lives with the worker)


def pre_request(worker, req):
    _clock.update(start=time.perf_counter(), cpu=time.process_time(), stripe=0.0, calls=0)


def post_request(worker, req, environ, resp):
    elapsed, cpu = time.perf_counter() - _clock["start"], time.process_time() - _clock["cpu"]
    status = getattr(resp, "status_code", None) or "-"
    _clock["log"].write(f"TIMING {req.method} {req.path} {status} {1000 * elapsed:.2f} "
                        f"{1000 * _clock['stripe']:.2f} {_clock['calls']} {1000 * cpu:.2f}\n")
