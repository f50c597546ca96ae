"""Lesson page throughput for signed-in customers who own the course, beside a bare Flask app, on SQLite and
PostgreSQL.

For each backend: build a fresh database (migrate, seed-demo: the demo catalogue with its course content),
then add with bulk inserts --courses synthetic courses of 3 modules x 3 lessons (each lesson the text and
figure of a demo lesson) and --customers customers, each owning 3 of them with some lessons completed.
Serve the shop and bench/hello.py with identical gunicorn settings, log --sessions customers in through
the login form (GET /account/login for the csrf_token, POST it with e-mail and password), and load:

- "lesson": one demo lesson (Soft Tissue Release: Foundations, lesson 1) for one customer who owns it;
- "lesson any": every request the next signed-in customer and one of the 9 lessons of a course they own.

Signed-in pages are never page-cached, so every request renders: access check, outline, progress, files,
template. Rounds alternate hello and the lesson loads; the best round of each is shown with p50, p99,
req/s as a percentage of hello's (target >= 25%) and "CPU ms/req", the gunicorn workers' CPU time per
request (from /proc), which hardly moves when other work shares the machine. Exits 1 on any non-2xx/3xx
answer or a missed target (--no-fail to report only).

    .venv/bin/python bench/lesson_page.py [--backends sqlite,postgresql] [--courses 200] [--customers 2000]
                                          [--sessions 40] [--duration 10] [--rounds 3] [--connections 8]
                                          [--workers 2] [--target 25]
"""

import http.client
import os
import random
import subprocess
import sys
import tempfile

import requests
from common import (
    BIN,
    ROOT,
    WRK_DONE_LUA,
    Database,
    Server,
    handle_signals,
    load_arguments,
    lua_table,
    parsed_backends,
    run,
    shop_env,
    wrk,
)
from sqlalchemy import text

sys.path.insert(0, str(ROOT))
from shop.accounts.models import User  # noqa: E402
from shop.accounts.passwords import hash_password  # noqa: E402
from shop.courses.models import CourseAccess, CourseFile, CourseModule, Lesson, LessonProgress  # noqa: E402
from tests.support.forms import csrf_token  # noqa: E402

PASSWORD = "bench-lesson-password-1"
DEMO_COURSE = "soft-tissue-release-foundations"
MODULES, LESSONS_PER_MODULE, OWNED = 3, 3, 3
HELLO_LUA = WRK_DONE_LUA
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) shop-bench/1.0"  # one browser's, on every request (wrk's too)
LESSON_LUA = """
local counter = 0
setup = function(thread)
  thread:set("first", counter)
  counter = counter + 1
end
init = function(args)
  step = tonumber(args[1])
  i = first
end
request = function()
  local s = pages[i % #pages + 1]
  i = i + step
  return wrk.format("GET", s[2], {["Cookie"] = s[1], ["User-Agent"] = "{agent}"})
end
""".replace("{agent}", USER_AGENT)


def seed_courses(db, courses, customers, seed=9):
    """Bulk courses with content, customers owning some of them with progress; returns {email: [lesson paths]}."""
    rng = random.Random(seed)
    with db.engine.begin() as conn:
        demo = conn.execute(text("SELECT l.title, l.body_md, l.body_html, l.minutes FROM lessons l "
                                 "ORDER BY l.id")).all()
        products = conn.execute(text("SELECT id, slug FROM products WHERE sku LIKE 'BULK-%' AND kind = 'course' "
                                     "ORDER BY id LIMIT :n"), {"n": courses}).all()
        if len(products) < courses:
            raise RuntimeError(f"seed-bulk made only {len(products)} courses; ask for more products")
        conn.execute(CourseModule.__table__.insert(), [
            {"product_id": pid, "title": f"Module {m + 1}", "position": m}
            for pid, _ in products for m in range(MODULES)])
        modules = conn.execute(text("SELECT id, product_id, position FROM course_modules WHERE product_id IN "
                                    f"({','.join(str(pid) for pid, _ in products)}) ORDER BY id")).all()
        rows = []
        for module_id, _, position in modules:
            for n in range(LESSONS_PER_MODULE):
                title, body_md, body_html, minutes = demo[rng.randrange(len(demo))]
                rows.append({"module_id": module_id, "title": f"{title} ({position + 1}.{n + 1})", "position": n,
                             "body_md": body_md, "body_html": body_html, "video_url": "", "minutes": minutes})
        conn.execute(Lesson.__table__.insert(), rows)
        lessons = conn.execute(text("SELECT l.id, m.product_id FROM lessons l JOIN course_modules m "
                                    "ON m.id = l.module_id WHERE m.product_id IN "
                                    f"({','.join(str(pid) for pid, _ in products)}) ORDER BY l.id")).all()
        conn.execute(CourseFile.__table__.insert(), [
            {"product_id": pid, "lesson_id": lid, "purpose": "image", "title": "Figure",
             "storage_key": f"courses/{pid}/bench-{lid}.png", "content_type": "image/png", "size_bytes": 1000,
             "original_name": "figure.png", "position": 0} for lid, pid in lessons])
        by_course = {}
        for lid, pid in lessons:
            by_course.setdefault(pid, []).append(lid)
        password_hash = hash_password(PASSWORD, fast=False)
        conn.execute(User.__table__.insert(), [
            {"email": f"bench-{n}@example.com", "password_hash": password_hash, "full_name": f"Bench Customer {n}",
             "role": "customer", "is_active_account": True} for n in range(customers)])
        users = conn.execute(text("SELECT id, email FROM users WHERE email LIKE 'bench-%' ORDER BY id")).all()
        slugs = dict(products)
        access, progress, owned = [], [], {}
        for user_id, email in users:
            for pid in rng.sample(list(by_course), OWNED):
                access.append({"email": email, "user_id": user_id, "product_id": pid, "source": "staff",
                               "note": "bench"})
                done = rng.randrange(len(by_course[pid]) + 1)
                progress += [{"user_id": user_id, "lesson_id": lid} for lid in by_course[pid][:done]]
                owned.setdefault(email, [f"/my/courses/{slugs[pid]}/lessons/{lid}" for lid in by_course[pid]])
        conn.execute(CourseAccess.__table__.insert(), access)
        conn.execute(LessonProgress.__table__.insert(), progress)
        demo_id = conn.execute(text("SELECT id FROM products WHERE slug = :slug"), {"slug": DEMO_COURSE}).scalar_one()
        conn.execute(CourseAccess.__table__.insert(), [{"email": users[0][1], "user_id": users[0][0],
                                                        "product_id": demo_id, "source": "staff", "note": "bench"}])
        first_demo_lesson = conn.execute(text(
            "SELECT l.id FROM lessons l JOIN course_modules m ON m.id = l.module_id WHERE m.product_id = :id "
            "ORDER BY m.position, l.position LIMIT 1"), {"id": demo_id}).scalar_one()
    counts = {"lessons": len(lessons), "access": len(access) + 1, "progress": len(progress)}
    return owned, f"/my/courses/{DEMO_COURSE}/lessons/{first_demo_lesson}", users[0][1], counts


def log_in(base, email):
    """The Cookie header of a customer signed in through the login form."""
    browser = requests.Session()
    browser.headers["User-Agent"] = USER_AGENT  # the browser says the same one with every request (so does wrk)
    page = browser.get(f"{base}/account/login", timeout=30)
    answer = browser.post(f"{base}/account/login", timeout=30, allow_redirects=False,
                          data={"csrf_token": csrf_token(page.text), "email": email, "password": PASSWORD})
    if answer.status_code not in (302, 303) or "session" not in browser.cookies:
        raise RuntimeError(f"log in as {email} answered {answer.status_code}: {answer.text[:300]}")
    return f"session={browser.cookies['session']}"


def check_one(port, cookie, path):
    """The request wrk will send, once by hand: a 200 with a lesson page, and never cached for others."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "User-Agent": USER_AGENT})
        response = conn.getresponse()
        body = response.read()
        if response.status != 200 or b"Key points" not in body:
            raise RuntimeError(f"{path} answered {response.status}: {body[:300]!r}")
    finally:
        conn.close()



def bench_backend(backend, args, tmp):
    db = Database(backend, tmp, "lesson")
    servers = []
    try:
        env = {**os.environ, "FLASK_APP": "wsgi.py", "SHOP_CONFIG": "development", "DATABASE_URL": db.url,
               "MEDIA_ROOT": db.media}
        run([str(BIN / "flask"), "seed-bulk", "--products", str(int(args.courses * 1.25) + 10)], env=env)
        owned, demo_path, demo_email, counts = seed_courses(db, args.courses, args.customers)
        hello = Server("hello", "hello:app", tmp, workers=args.workers, cwd=ROOT / "bench")
        shop = Server("shop", "wsgi:app", tmp, workers=args.workers, env=shop_env(db))
        servers += [hello, shop]
        for server in servers:
            server.wait_ready()
        emails = list(owned)[: args.sessions]
        cookies = {email: log_in(shop.base, email) for email in emails}
        any_pages = [(cookies[email], path) for email in emails for path in owned[email]]
        random.Random(3).shuffle(any_pages)
        one_page = [(cookies[demo_email], demo_path)]
        check_one(shop.port, *one_page[0])
        check_one(shop.port, *any_pages[0])
        luas = {}
        for name, body in (("hello", HELLO_LUA), ("lesson", lua_table("pages", one_page) + LESSON_LUA + WRK_DONE_LUA),
                           ("lesson any", lua_table("pages", any_pages) + LESSON_LUA + WRK_DONE_LUA)):
            luas[name] = f"{tmp}/{name.replace(' ', '_')}.lua"
            with open(luas[name], "w") as out:
                out.write(body)
        threads = max(1, min(args.connections, os.cpu_count() or 1))
        loads = {"hello": (hello, f"{hello.base}/", luas["hello"], ()),
                 "lesson": (shop, f"{shop.base}{demo_path}", luas["lesson"], (threads,)),
                 "lesson any": (shop, f"{shop.base}/", luas["lesson any"], (threads,))}
        for _, url, lua, script_args in loads.values():  # warm-up
            wrk(url, 2, args.connections, lua, script_args)
        samples = {name: [] for name in loads}
        for round_ in range(1, args.rounds + 1):
            for name, (server, url, lua, script_args) in loads.items():
                cpu = server.cpu_seconds()
                result = wrk(url, args.duration, args.connections, lua, script_args)
                result["cpu_ms"] = 1000 * (server.cpu_seconds() - cpu) / max(1, result["requests"])
                samples[name].append(result)
                print(f"  round {round_} {name:<11} {result['rps']:8.0f} req/s", file=sys.stderr)
        rows = {}
        for name, results in samples.items():
            best = max(results, key=lambda r: r["rps"])
            rows[name] = {**best, "bad": sum(r["bad"] for r in results), "socket": sum(r["socket"] for r in results),
                          "worst": min(r["rps"] for r in results)}
        paths = {"hello": "/", "lesson": demo_path,
                 "lesson any": f"{len(any_pages)} lessons of {len(emails)} customers"}
        return rows, paths, counts
    finally:
        for server in servers:
            server.stop()
        db.drop()


def print_table(backend, rows, paths, counts, args):
    hello_rps = rows["hello"]["rps"]
    print(f"\n{backend}: lesson page, signed in (no page cache); {args.courses} bulk courses x 9 lessons + the demo "
          f"courses ({counts['lessons']:,} bulk lessons), {args.customers:,} customers, {counts['access']:,} "
          f"course accesses, {counts['progress']:,} lessons completed; gunicorn {args.workers} sync workers, "
          f"wrk {args.connections} connections, best of {args.rounds} x {args.duration} s")
    print(f"{'load':<12}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'% hello':>9}  {'target':<12}{'CPU ms/req':>10}  page")
    failed = False
    for name, r in rows.items():
        share = 100 * r["rps"] / hello_rps
        verdict = ""
        notes = [paths[name]]
        if name != "hello":
            verdict = f">={args.target:.0f}% " + ("ok" if share >= args.target else "MISS")
            failed |= share < args.target and not args.no_fail
        if r["bad"]:
            notes.append(f"{r['bad']} non-2xx/3xx!")
            failed = True
        if r["socket"]:
            notes.append(f"{r['socket']} socket errors")
        print(f"{name:<12}{r['rps']:8.0f}{r['p50']:9.1f}{r['p99']:9.1f}{share:8.0f}%  {verdict:<12}"
              f"{r['cpu_ms']:10.2f}  " + ", ".join(notes))
    hello = rows["hello"]
    if hello["worst"] < 0.8 * hello["rps"]:
        print(f"Note: hello's rounds ranged from {hello['worst']:.0f} to {hello['rps']:.0f} req/s: something else "
              "was using the CPU; run again on a quiet machine before trusting the ratios.")
    return failed


def main():
    parser = load_arguments(__doc__.split("\n\n")[0], sessions=40,
                            sessions_help="signed-in customers wrk rotates through",
                            target=25.0, target_help="lesson page req/s as a %% of hello's")
    parser.add_argument("--courses", type=int, default=200, help="synthetic courses of 9 lessons each")
    parser.add_argument("--customers", type=int, default=2000, help="customers owning 3 of them each")
    args = parser.parse_args()
    backends = parsed_backends(parser, args)
    if args.courses < OWNED or args.sessions > args.customers:
        parser.error(f"need at least {OWNED} courses and no more sessions than customers")
    handle_signals()
    failed = False
    for backend in backends:
        print(f"{backend}: building the database ({args.courses} courses, {args.customers} customers), serving it, "
              f"signing {args.sessions} customers in...", file=sys.stderr)
        with tempfile.TemporaryDirectory(prefix=f"bench-lesson-{backend}-") as tmp:
            try:
                rows, paths, counts = bench_backend(backend, args, tmp)
            except subprocess.CalledProcessError as error:
                sys.exit(f"{backend}: {' '.join(map(str, error.cmd))} failed:\n{error.stdout}{error.stderr}")
            except RuntimeError as error:
                sys.exit(f"{backend}: {error}")
        failed |= print_table(backend, rows, paths, counts, args)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
