#!/usr/bin/python3
# test-cleanup.py: a script leaves no request on the server, against
# horde-sim: Ctrl+C (SIGINT) and SIGTERM during job.run_sync() delete the
# request before the signal ends the script, and Horde.Session deletes
# every request but the kept ones on leaving a `with` block, normally or by
# an exception.
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import json
import os
import signal
import subprocess
import sys
import urllib.request

import gi
gi.require_version('Horde', '1.0')
from gi.repository import GLib, Horde  # noqa: E402

CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'cleanup-child.py')


def start_sim(*args):
    # by default no worker: a request stays queued until it is deleted
    sim = subprocess.Popen([os.environ['HORDE_SIM'], '--port', '0', *(args or ('--workers', '0'))],
                           stdout=subprocess.PIPE, text=True)
    url = sim.stdout.readline().strip()
    assert url.startswith('http://127.0.0.1:') and url.endswith('/api'), url
    return sim, url


def stop_sim(sim):
    sim.terminate()
    assert sim.wait(timeout=10) == 0


def deletes(url, id):
    # the sim's count of DELETEs of that request, under /_sim
    with urllib.request.urlopen(url[:-len('/api')] + '/_sim/stats', timeout=10) as answer:
        return json.load(answer)['jobs'][id]['requests']['delete']


def interrupt_child(url, mode, signum):
    """Starts cleanup-child.py, waits for its "queued ID" line, sends it
    @signum and returns the id, its other lines and its exit status."""
    child = subprocess.Popen([sys.executable, CHILD, url, mode],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = child.stdout.readline().split()
    assert len(line) == 2 and line[0] == 'queued', line
    id = line[1]
    # the request is on the server and nothing deleted it yet
    assert deletes(url, id) == 0
    child.send_signal(signum)
    try:
        out, err = child.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        # the signal did not end it: fail without leaving it behind
        child.kill()
        child.communicate()
        raise
    return id, out.splitlines(), err, child.returncode


def test_sigint(url, n):
    id, lines, err, status = interrupt_child(url, 'plain', signal.SIGINT)
    # the request was deleted before the interruption reached the script:
    # the job says so where the script catches KeyboardInterrupt
    assert lines == ['ended KeyboardInterrupt %s cancelled deleted' % id], (lines, err)
    assert 'KeyboardInterrupt' in err, err
    # Python ends a script on KeyboardInterrupt by SIGINT
    assert status == -signal.SIGINT, (status, err)
    assert deletes(url, id) == 1
    print('ok %d - Ctrl+C in run_sync() deleted %s, then KeyboardInterrupt' % (n, id))


def test_sigterm(url, n):
    id, lines, err, status = interrupt_child(url, 'plain', signal.SIGTERM)
    # no Python handler for SIGTERM: it ends the process, after the DELETE
    assert lines == [], (lines, err)
    assert status == -signal.SIGTERM, (status, err)
    assert deletes(url, id) == 1
    print('ok %d - SIGTERM in run_sync() deleted %s before the process ended' % (n, id))


def test_session_signals(url, n):
    id, lines, err, status = interrupt_child(url, 'session', signal.SIGINT)
    assert lines == ['ended KeyboardInterrupt %s cancelled deleted' % id,
                     'session deleted -'], (lines, err)
    assert status == -signal.SIGINT, (status, err)
    assert deletes(url, id) == 1

    # in a session SIGTERM becomes SystemExit, which leaves the `with`
    id, lines, err, status = interrupt_child(url, 'session', signal.SIGTERM)
    assert lines == ['ended SystemExit %s cancelled deleted' % id,
                     'session deleted -'], (lines, err)
    assert status == 128 + signal.SIGTERM, (status, err)
    assert deletes(url, id) == 1
    print('ok %d - Ctrl+C and SIGTERM in a session' % n)


def test_sigint_processing(n):
    # a worker is making the image (for ten minutes): a cancel would wait
    # for it, Ctrl+C does not
    sim, url = start_sim('--job-time', '600000')
    try:
        id, lines, err, status = interrupt_child(url, 'processing', signal.SIGINT)
        assert lines == ['ended KeyboardInterrupt %s cancelled deleted' % id], (lines, err)
        assert status == -signal.SIGINT, (status, err)
        assert deletes(url, id) == 1
    finally:
        stop_sim(sim)
    print('ok %d - Ctrl+C while a worker makes the image deleted %s at once' % (n, id))


def queued_jobs(client, n):
    """Starts @n jobs with run_async on the default main context and runs it
    until the server holds each request."""
    params = Horde.ModelGenerationInputStableBuilder.new()
    builder = Horde.ImageGenerateAsyncRequestBuilder.new()
    builder.set_prompt('A queue')
    builder.set_params(params.end())
    request = builder.end()
    jobs = [Horde.ImageJob.new(client, request) for _ in range(n)]
    ended = []
    for job in jobs:
        job.run_async(None, lambda job, result: ended.append((job, result)))
    context = GLib.MainContext.default()
    while not all(job.get_state() == Horde.JobState.WAITING for job in jobs):
        context.iteration(True)
    return jobs, ended


def test_session_exception(url, n):
    client = Horde.Client.new()
    client.set_base_url(url)
    session = Horde.Session(client)
    try:
        with session:
            (job,), ended = queued_jobs(client, 1)
            raise RuntimeError('the script failed')
    except RuntimeError as e:
        assert str(e) == 'the script failed'
    else:
        assert False, 'the exception was swallowed'
    assert session.deleted == [job.get_id()], session.deleted
    assert deletes(url, job.get_id()) == 1
    assert not job.get_on_server()
    assert client.get_n_jobs() == 0
    print('ok %d - an exception in a session deleted %s' % (n, job.get_id()))


def test_session_keep(url, n):
    client = Horde.Client.new()
    client.set_base_url(url)
    with Horde.Session(client) as session:
        (gone, kept), ended = queued_jobs(client, 2)
        kept.set_keep(True)
    assert session.deleted == [gone.get_id()], session.deleted
    assert deletes(url, gone.get_id()) == 1
    # the kept request is still on the server, its job still following it
    assert deletes(url, kept.get_id()) == 0
    assert kept.get_on_server()
    assert kept.get_state() == Horde.JobState.WAITING
    assert client.get_n_jobs() == 1

    # a script that wants it later resumes it from its id; here it goes
    kept.set_keep(False)
    with Horde.Session(client) as session:
        pass
    assert session.deleted == [kept.get_id()], session.deleted
    assert deletes(url, kept.get_id()) == 1
    print('ok %d - a session deleted %s and kept %s' % (n, gone.get_id(), kept.get_id()))


def test_run_sync_unchanged(url, n):
    # with no signal, the override's run_sync() is the C one: errors and
    # results as before
    client = Horde.Client.new()
    client.set_base_url(url)
    job = Horde.ImageJob.new_for_id(client, '00000000-0000-0000-0000-000000000000')
    try:
        job.run_sync(None)
    except GLib.Error as e:
        assert e.matches(Horde.error_quark(), Horde.Error.NOT_FOUND), e
    else:
        assert False, 'an unknown id ran'
    assert job.get_state() == Horde.JobState.FAILED
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    print('ok %d - run_sync() of an unknown id fails as the C call does' % n)


def test_run_sync_done(n):
    # uninterrupted, run_sync() runs the job to its end, its notifications
    # come from the calling thread, and the handlers are as before
    sim, url = start_sim('--speed', '20')
    try:
        client = Horde.Client.new()
        client.set_base_url(url)
        params = Horde.ModelGenerationInputStableBuilder.new()
        params.set_n(2)
        builder = Horde.ImageGenerateAsyncRequestBuilder.new()
        builder.set_prompt('A lighthouse')
        builder.set_params(params.end())
        job = Horde.ImageJob.new(client, builder.end())
        states = []
        job.connect('notify::state', lambda job, _p: states.append(job.get_state()))
        with Horde.Session(client) as session:
            assert job.run_sync(None) is True
        assert job.get_state() == Horde.JobState.DONE
        assert states[-1] == Horde.JobState.DONE and Horde.JobState.WAITING in states, states
        assert job.get_images().get_n_items() == 2
        assert session.deleted == [], session.deleted
        assert deletes(url, job.get_id()) == 0
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
        assert signal.set_wakeup_fd(-1) == -1
    finally:
        stop_sim(sim)
    print('ok %d - run_sync() to the end: %d images, nothing deleted' % (n, job.get_images().get_n_items()))


def main():
    print('1..8')
    sim, url = start_sim()
    try:
        test_sigint(url, 1)
        test_sigterm(url, 2)
        test_session_signals(url, 3)
        test_session_exception(url, 4)
        test_session_keep(url, 5)
        test_run_sync_unchanged(url, 6)
    finally:
        stop_sim(sim)
    test_run_sync_done(7)
    test_sigint_processing(8)


if __name__ == '__main__':
    main()
