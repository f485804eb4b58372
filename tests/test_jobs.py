"""`manage.py run_jobs`: every recurring job, safe to run again and twice at once."""

import io
import os
import threading
import time
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from commitments.imports import stash, unstash
from followups import jobs

SLOW = 0.5  # seconds a job of the concurrency test takes: the other run starts meanwhile


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def counted(monkeypatch):
    """The jobs replaced by one slow job that counts its runs."""
    runs = []

    def job():
        runs.append(threading.get_ident())
        time.sleep(SLOW)
        return 1

    monkeypatch.setattr(jobs, "JOBS", [("count", "counted", job)])
    return runs


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_do_the_work_once(counted):
    if connection.vendor != "postgresql":
        pytest.skip("the advisory lock is PostgreSQL's")
    results = []

    def run():
        try:
            results.append(jobs.run_jobs())
        finally:
            connection.close()  # each thread has its own connection and session lock

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results, key=str) == [None, {"count": 1}]
    assert len(counted) == 1
    # The lock went with the run: the next one works.
    assert jobs.run_jobs() == {"count": 1}


@pytest.mark.django_db(transaction=True)
def test_a_run_finding_the_lock_taken_does_nothing_and_says_so(counted):
    if connection.vendor != "postgresql":
        pytest.skip("the advisory lock is PostgreSQL's")
    holding, release = threading.Event(), threading.Event()

    def hold():
        with jobs.exclusive("run_jobs") as held:
            assert held
            holding.set()
            release.wait(10)
        connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(10)
    out = io.StringIO()
    call_command("run_jobs", stdout=out)
    release.set()
    holder.join()
    assert out.getvalue() == "Another run holds the lock: nothing done.\n"
    assert counted == []


@pytest.mark.django_db
def test_reminders_go_out_once_however_often_the_jobs_run(eskilstuna, polis, time_machine):
    polis.email = "polis@example.se"
    polis.save()
    time_machine.move_to(date(2018, 5, 20))
    assert jobs.run_jobs(only=["send_reminders"]) == {"send_reminders": 1}
    assert jobs.run_jobs(only=["send_reminders"]) == {"send_reminders": 0}
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_an_abandoned_upload_goes_after_a_day_and_a_fresh_one_stays(polis, media, settings):
    old, fresh = stash(b"Datum\r\n2018-01-01\r\n", polis), stash(b"Datum\r\n", polis)
    day_ago = time.time() - (settings.IMPORT_UPLOAD_HOURS * 3600 + 60)
    os.utime(media / "imports" / str(polis.pk) / old, (day_ago, day_ago))
    assert jobs.run_jobs(only=["remove_expired_uploads"]) == {"remove_expired_uploads": 1}
    assert unstash(old, polis) is None
    assert unstash(fresh, polis) == b"Datum\r\n"


@pytest.mark.django_db
def test_the_command_names_what_it_did(eskilstuna, media):
    out = io.StringIO()
    call_command("run_jobs", stdout=out)
    assert out.getvalue() == (
        "0 reminders sent; 1 public summaries checked; 0 expired exports removed; "
        "0 expired import uploads removed; 0 subscriptions not confirmed within 7 days "
        "removed.\n"
    )
