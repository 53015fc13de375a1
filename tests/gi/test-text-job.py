#!/usr/bin/python3
# test-text-job.py: the text job from Python through GObject introspection,
# against horde-sim: the shared HordeJob surface (state, progress
# properties, run, cancel), the texts as typed generations, resuming
# from an id, and the estimate (a dry run) that HordeJob gives.
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import json
import os
import subprocess
import sys
import urllib.request

import gi
gi.require_version('Horde', '1.0')
from gi.repository import Gio, GLib, Horde  # noqa: E402

TEXT_MODEL = 'koboldcpp/LLaMA2-13B-Psyfighter2'


def start_sim(*args):
    sim = subprocess.Popen([os.environ['HORDE_SIM'], '--port', '0', *args],
                           stdout=subprocess.PIPE, text=True)
    url = sim.stdout.readline().strip()
    assert url.startswith('http://127.0.0.1:') and url.endswith('/api'), url
    return sim, url


def stop_sim(sim):
    sim.terminate()
    assert sim.wait(timeout=10) == 0


def once_upon_a_time(n):
    params = Horde.ModelGenerationInputKoboldBuilder.new()
    params.set_n(n)
    params.set_max_length(32)
    builder = Horde.TextGenerateAsyncRequestBuilder.new()
    builder.set_prompt('Once upon a time')
    builder.set_params(params.end())
    return builder.end()


def test_job(client):
    job = Horde.TextJob.new(client, once_upon_a_time(2))
    assert isinstance(job, Horde.Job)
    states = []
    finished = []
    job.connect('notify::state', lambda j, _p: states.append(j.get_state()))
    job.connect('notify::finished', lambda j, _p: finished.append(j.props.finished))

    assert job.run_sync(None)
    assert job.get_state() == Horde.JobState.DONE, job.get_state()
    assert states[0] == Horde.JobState.SUBMITTING and states[-1] == Horde.JobState.DONE, states
    assert finished and finished[-1] == 2, finished
    assert not job.props.on_server
    assert job.props.kudos > 0
    assert job.props.n_generations == 2

    generations = job.get_generations()
    assert len(generations) == 2
    for generation in generations:
        assert generation.__gtype__.name == 'HordeGenerationKobold'
        assert generation.get_text()
        assert generation.get_model() == TEXT_MODEL
    assert job.dup_texts() == [g.get_text() for g in generations]
    print('ok 1 - text job: %d texts' % len(generations))
    return job.get_id()


def test_cancel(client):
    job = Horde.TextJob.new(client, once_upon_a_time(3))
    loop = GLib.MainLoop()
    result = {}

    def done(job, res):
        try:
            job.run_finish(res)
            result['ok'] = True
        except GLib.Error as e:
            result['error'] = e
        loop.quit()

    def cancel_once_waiting(job, _pspec):
        if job.get_state() in (Horde.JobState.WAITING, Horde.JobState.PROCESSING):
            job.cancel()

    job.connect('notify::state', cancel_once_waiting)
    job.run_async(None, done)
    GLib.timeout_add_seconds(30, loop.quit)
    loop.run()

    assert 'error' in result, result
    assert result['error'].matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED), result['error']
    assert job.get_state() == Horde.JobState.CANCELLED
    assert not job.props.on_server
    print('ok 2 - cancelled text job: DELETE answered, %d texts kept' % job.props.n_generations)


def test_resume(client, id):
    # a finished request can be followed again from its id until it expires
    job = Horde.TextJob.new_for_id(client, id)
    assert job.get_id() == id
    assert job.get_request() is None
    assert job.run_sync(None)
    assert job.props.n_generations == 2
    print('ok 3 - resumed text job %s' % id)


def sim_stats(url):
    # the sim's control endpoint, on loopback beside its /api
    with urllib.request.urlopen(url[:-len('/api')] + '/_sim/stats', timeout=10) as answer:
        return json.load(answer)


def test_estimate(client, url):
    before = sim_stats(url)
    job = Horde.TextJob.new(client, once_upon_a_time(2))
    # the base class's method, as any kind of job has it
    ok, kudos = Horde.Job.estimate_sync(job, None)
    assert ok and kudos > 0, (ok, kudos)
    ok, kudos_one = Horde.TextJob.new(client, once_upon_a_time(1)).estimate_sync(None)
    assert ok and 0 < kudos_one < kudos, (kudos_one, kudos)
    assert job.get_state() == Horde.JobState.NEW
    assert job.get_id() is None
    after = sim_stats(url)
    assert after['jobs'] == before['jobs'], 'a dry run queued a request'

    # a resumed job has no request to price
    resumed = Horde.TextJob.new_for_id(client, '00000000-0000-0000-0000-000000000000')
    try:
        resumed.estimate_sync(None)
        assert False, 'a resumed job was estimated'
    except GLib.Error as e:
        assert e.matches(Gio.io_error_quark(), Gio.IOErrorEnum.NOT_SUPPORTED), e
    print('ok 4 - text estimate: %g kudos for two texts, %g for one, nothing queued' % (kudos, kudos_one))


def main():
    print('1..4')
    sim, url = start_sim('--job-time', '1000')
    try:
        client = Horde.Client.new()
        client.set_base_url(url)
        id = test_job(client)
        test_cancel(client)
        test_resume(client, id)
        test_estimate(client, url)
    finally:
        stop_sim(sim)
    return 0


if __name__ == '__main__':
    sys.exit(main())
