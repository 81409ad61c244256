"""The rush of an enrolment opening: N families submit at the same second for a session
with fewer places than families.

    .venv/bin/python bench/rush.py                      # 200 families, 150 places
    .venv/bin/python bench/rush.py --families 500 --places 300
    .venv/bin/python bench/rush.py --scale-out          # two web servers, two workers

Seeds the demo into a fresh PostgreSQL database, adds N families (each logged in, with
one child), starts the production server (gunicorn) and the task worker on loopback;
each family opens the family page (the form, with its CSRF token), then all submit
together. Prints throughput, latency and errors, then checks the invariants: every
successful answer made exactly one enrolment, places were never exceeded, each family
got exactly one e-mail, every task ran once. It then runs the equivalent transaction
with pgbench on the same machine and prints the ratio.

With `--scale-out`, two web servers and two workers run as separate processes sharing
the database, as two machines would; the families alternate between the servers.
"""

import argparse
import contextlib
import datetime
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

HOST = "ville-demo.localhost"
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
TARGET_RATE = 300
TARGET_P95_MS = 200


def families_create(count: int, places: int) -> tuple[int, list[dict[str, object]]]:
    """The session and the families: one adult (logged in) and one child each."""
    from django.test import Client
    from django.utils import timezone

    from guichet.accounts.models import User
    from guichet.individuals.models import Activity, Child, Household, Session
    from guichet.payments.models import Regie
    from guichet.tenants.models import Authority

    authority = Authority.objects.get(slug="ville-demo")
    activity = Activity.objects.create(
        authority=authority,
        kind=Activity.Kind.LEISURE,
        name="Accueil de loisirs (banc d'essai)",
        regie=Regie.objects.filter(authority=authority).first(),
    )
    start = timezone.localdate() + datetime.timedelta(days=60)
    session = Session.objects.create(
        authority=authority,
        activity=activity,
        name="Vacances de printemps — semaine 1",
        starts_on=start,
        ends_on=start + datetime.timedelta(days=4),
        capacity=places,
    )
    families = []
    for n in range(count):
        adult = User.objects.create(
            authority=authority,
            username=f"{authority.slug}:ruee{n}@example.fr",
            email=f"ruee{n}@example.fr",
            first_name="Parent",
            last_name=f"Ruée{n}",
            is_email_verified=True,
            password="!",  # noqa: S106 - unusable password
        )
        household = Household.objects.create(authority=authority, name=f"Famille Ruée{n}")
        household.adults.add(adult)
        child = Child.objects.create(
            authority=authority,
            household=household,
            first_name="Enfant",
            last_name=f"Ruée{n}",
            birth_date=datetime.date(2017, 1, 1) + datetime.timedelta(days=n % 1500),
        )
        client = Client(HTTP_HOST=HOST)  # a session of its own, kept open
        client.force_login(adult)
        families.append(
            {"email": adult.email, "child": child.pk, "session": client.cookies["sessionid"].value}
        )
    return session.pk, families


def rush(ports: list[int], session_id: int, families: list[dict[str, object]]) -> dict[str, object]:
    """Every family opens the form, then all submit at once; returns what they got."""
    barrier = threading.Barrier(len(families) + 1)
    results: list[tuple[int, float] | None] = [None] * len(families)
    errors: list[str] = []

    def family(index: int, person: dict[str, object]) -> None:
        port = ports[index % len(ports)]
        browser = common.Browser(
            port=port, host=HOST, cookies={"sessionid": str(person["session"])}
        )
        try:
            status, body, _ = browser.request("GET", "/famille/")
            token = CSRF.search(body)
            if status != 200 or token is None:
                raise RuntimeError(f"family page answered {status} {body[:200]!r}")
        except Exception as error:
            errors.append(f"open: {error}")
            barrier.abort()
            return
        form = f"child={person['child']}&csrfmiddlewaretoken={token.group(1).decode()}"
        try:
            barrier.wait()
            status, _, elapsed = browser.request(
                "POST",
                f"/famille/sessions/{session_id}/inscrire/",
                body=form.encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            results[index] = (status, elapsed)
        except Exception as error:
            errors.append(f"submit: {error}")

    threads = [
        threading.Thread(target=family, args=(n, person)) for n, person in enumerate(families)
    ]
    for thread in threads:
        thread.start()
    try:
        barrier.wait()  # every form is open: go
    except threading.BrokenBarrierError:
        raise RuntimeError(f"some families could not open the form: {errors[:3]}") from None
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    window = time.perf_counter() - started
    answered = [result for result in results if result is not None]
    succeeded = [elapsed for status, elapsed in answered if status == 302]
    errors += [f"HTTP {status}" for status, _ in answered if status != 302]
    return {"window_s": window, "succeeded": succeeded, "errors": errors}


def emails_wait(addresses: list[str], timeout: float = 180) -> None:
    from guichet.notifications.models import OutgoingEmail

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        waiting = OutgoingEmail.objects.filter(to__in=addresses, sent_at__isnull=True).count()
        if waiting == 0:
            return
        time.sleep(0.5)
    raise RuntimeError("the workers did not send every e-mail in time")


def invariants(session_id: int, families: list[dict[str, object]], succeeded: int) -> list[str]:
    """What must hold after the rush; each failure is a sentence."""
    from django.db.models import Count
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from guichet.individuals.models import Enrolment, Session
    from guichet.notifications.models import OutgoingEmail
    from guichet.notifications.tasks import email_deliver

    session = Session.objects.get(pk=session_id)
    enrolments = Enrolment.objects.filter(session=session)
    confirmed = enrolments.filter(status=Enrolment.Status.CONFIRMED).count()
    addresses = [str(person["email"]) for person in families]
    emails = OutgoingEmail.objects.filter(to__in=addresses)
    per_address = emails.values("to").annotate(n=Count("id"))
    failures = []
    if enrolments.count() != succeeded:
        failures.append(f"{succeeded} successful answers but {enrolments.count()} enrolments")
    if enrolments.values("child").distinct().count() != enrolments.count():
        failures.append("a child was enrolled twice")
    if confirmed > session.capacity:
        failures.append(f"{confirmed} confirmed for {session.capacity} places")
    if confirmed != min(session.capacity, succeeded):
        failures.append(f"{confirmed} confirmed, expected {min(session.capacity, succeeded)}")
    if emails.count() != succeeded or any(row["n"] != 1 for row in per_address):
        failures.append(f"{emails.count()} e-mails for {succeeded} enrolments")
    if emails.filter(sent_at__isnull=True).exists():
        failures.append("e-mails left unsent")
    # Every e-mail of the rush had one delivery task, which ran once. Only the rush's:
    # the periodic sweeps the first worker runs on start may queue e-mails of their own
    # (the demo's invoices) that are still waiting when the workers are stopped.
    rush_emails = set(emails.values_list("id", flat=True))
    deliveries = [
        task
        for task in DBTaskResult.objects.filter(task_path=email_deliver.module_path)
        if task.args_kwargs.get("kwargs", {}).get("email_id") in rush_emails
    ]
    if any(task.status != TaskResultStatus.SUCCESSFUL for task in deliveries):
        failures.append("some e-mail deliveries failed or never ran")
    if len(deliveries) != len(rush_emails):
        failures.append(f"{len(deliveries)} deliveries for {len(rush_emails)} e-mails")
    return failures


def pgbench(url: str, families: list[dict[str, object]], clients: int, seconds: int) -> float:
    """The machine's raw rate for the same transaction (lock the session, count, insert
    the enrolment and the e-mail, with the same reads), on scratch tables."""
    from django.db import connection

    from guichet.accounts.models import User
    from guichet.individuals.models import Enrolment, Household
    from guichet.notifications.models import OutgoingEmail

    adults = Household.adults.through._meta.db_table
    with connection.cursor() as cursor:
        for scratch, model in (("rush_enrolment", Enrolment), ("rush_email", OutgoingEmail)):
            cursor.execute(f"DROP TABLE IF EXISTS {scratch}")
            cursor.execute(
                f"CREATE TABLE {scratch} (LIKE {model._meta.db_table} INCLUDING DEFAULTS INCLUDING INDEXES)"
            )
            cursor.execute(
                f"ALTER TABLE {scratch} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY"
            )
        cursor.execute("DROP SEQUENCE IF EXISTS rush_child")
        cursor.execute("CREATE SEQUENCE rush_child")  # one child per transaction, as in the rush
        cursor.execute("DROP TABLE IF EXISTS rush_session")
        cursor.execute("CREATE TABLE rush_session (id int PRIMARY KEY, capacity int)")
        cursor.execute("INSERT INTO rush_session VALUES (1, 150)")
    first = User.objects.get(email=families[0]["email"]).pk
    last = first + len(families) - 1
    user_table, household_table = User._meta.db_table, Household._meta.db_table
    sql = f"""\\set adult random({first}, {last})
BEGIN;
SELECT * FROM django_session ORDER BY session_key LIMIT 1;
SELECT * FROM {user_table} WHERE id = :adult;
SELECT h.* FROM {household_table} h JOIN {adults} a ON a.household_id = h.id WHERE a.user_id = :adult;
SELECT * FROM rush_session WHERE id = 1 FOR UPDATE;
SELECT count(*) FROM rush_enrolment WHERE session_id = 1 AND status = 'confirmed';
INSERT INTO rush_enrolment (authority_id, child_id, activity_id, session_id, weekdays, status, created_at)
  VALUES (1, nextval('rush_child'), 1, 1, '[]', 'confirmed', now());
INSERT INTO rush_email (authority_id, "to", subject, body, attachment_path, created_at)
  VALUES (1, 'famille@example.fr', 'Inscription confirmée', repeat('x', 800), '', now());
COMMIT;
"""  # noqa: S608 - our own table names, nothing from outside
    script = Path(tempfile.mkdtemp()) / "enrol.sql"
    script.write_text(sql)
    target = urlsplit(url)
    command = [shutil.which("pgbench") or "pgbench", "-n", "-h", target.hostname or "127.0.0.1"]
    command += ["-p", str(target.port or 5432), "-U", target.username or "postgres"]
    command += ["-c", str(clients), "-j", "2", "-T", str(seconds), "-f", str(script)]
    finished = subprocess.run(  # noqa: S603 - the PostgreSQL client's pgbench
        [*command, target.path.lstrip("/")], capture_output=True, text=True, check=True
    )
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", finished.stdout)
    return float(tps.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--families", type=int, default=200)
    parser.add_argument("--places", type=int, default=150)
    parser.add_argument("--web-workers", type=int, default=4, help="gunicorn workers per server")
    parser.add_argument("--scale-out", action="store_true", help="two web servers, two workers")
    args = parser.parse_args()

    url = common.database_url()
    data_dir = Path(tempfile.mkdtemp(prefix="guichet-bench-"))
    common.database_recreate(url)
    common.guichet("migrate", "--verbosity", "0", url=url, data_dir=data_dir)
    common.guichet("seed_demo", "--verbosity", "0", url=url, data_dir=data_dir)
    common.django_setup(url, data_dir)
    session_id, families = families_create(args.families, args.places)

    servers = 2 if args.scale_out else 1
    with (
        common.web_server(url=url, data_dir=data_dir, workers=args.web_workers) as first,
        common.web_server(url=url, data_dir=data_dir, workers=args.web_workers)
        if args.scale_out
        else contextlib.nullcontext() as second,
        common.task_workers(url=url, data_dir=data_dir, count=servers),
    ):
        ports = [first] if second is None else [first, second]
        outcome = rush(ports, session_id, families)
        emails_wait([str(person["email"]) for person in families])

    succeeded = outcome["succeeded"]
    failures = invariants(session_id, families, len(succeeded))
    rate = len(succeeded) / outcome["window_s"]
    figures = common.summary(succeeded)
    raw = pgbench(url, families, clients=min(args.families, 16), seconds=10)
    rows = [
        {"figure": "submissions/s", "value": round(rate, 1), "target": f"≥ {TARGET_RATE}"},
        {"figure": "p50 ms", "value": figures["p50_ms"], "target": ""},
        {"figure": "p95 ms", "value": figures["p95_ms"], "target": f"< {TARGET_P95_MS}"},
        {"figure": "p99 ms", "value": figures["p99_ms"], "target": ""},
        {"figure": "errors", "value": len(outcome["errors"]), "target": "0"},
        {"figure": "pgbench tps (same transaction)", "value": round(raw, 1), "target": ""},
        {"figure": "Guichet / pgbench", "value": round(rate / raw, 3), "target": ""},
    ]
    common.report(
        "rush" + (" (scale-out)" if args.scale_out else ""),
        rows,
        {
            "families": args.families,
            "places": args.places,
            "web_servers": servers,
            "web_workers_per_server": args.web_workers,
            "task_workers": servers,
            "errors_seen": outcome["errors"][:5],
            "invariants": failures or "all hold",
        },
    )
    if failures or outcome["errors"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
