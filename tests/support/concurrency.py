"""Work started at the same moment in several threads, as on several app servers whose cron fires together."""

import threading

from shop.extensions import db


def at_once(app, work, copies=2, timeout=60):
    """Run `work()` in `copies` threads, each in an app context (a database session) of its own, released
    together by a barrier. Returns what each returned; an exception in any copy is raised here."""
    barrier, results, errors = threading.Barrier(copies), [], []

    def one_copy():
        try:
            with app.app_context():
                barrier.wait(timeout)
                results.append(work())
                db.session.remove()
        except Exception as error:  # raised in the test's own thread below
            errors.append(error)

    threads = [threading.Thread(target=one_copy) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if errors:
        raise errors[0]
    assert len(results) == copies, "a copy did not finish in time"
    return results
