#!/usr/bin/python3
# test-give-back.py: a worker written in Python gives back what it popped,
# through GObject introspection, against horde-sim: the typed pop answers
# go straight into Client.give_back_*_sync(), and the submit states are
# constants.
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import json
import os
import subprocess
import sys
import tempfile
import urllib.request

import gi
gi.require_version('Horde', '1.0')
from gi.repository import Horde  # noqa: E402

WORKER_KEY = 'worker-key-001'


def start_sim(users_path):
    sim = subprocess.Popen([os.environ['HORDE_SIM'], '--port', '0', '--workers', '0',
                            '--text-workers', '0', '--alchemy-workers', '0', '--users', users_path,
                            '--r2-bridge-agent', 'py-painter'],
                           stdout=subprocess.PIPE, text=True)
    url = sim.stdout.readline().strip()
    assert url.startswith('http://127.0.0.1:') and url.endswith('/api'), url
    return sim, url


def client_for(url, key):
    client = Horde.Client.new()
    client.set_base_url(url)
    client.set_api_key(key)
    return client


def sim_stats(requester, kind):
    # horde-sim's own counters, under /_sim (not an operation of the API)
    base = requester.get_base_url().rsplit('/api', 1)[0]
    with urllib.request.urlopen(base + '/_sim/stats') as answer:
        return json.load(answer)['external_workers'][kind]


def test_image(requester, worker):
    builder = Horde.ImageGenerateAsyncRequestBuilder.new()
    builder.set_prompt('a lighthouse')
    builder.set_models(['stable_diffusion'])
    params = Horde.ModelGenerationInputStableBuilder.new()
    params.set_n(2)
    params.set_seed('77')
    builder.set_params(params.end())
    request_id = requester.send_image_generate_async_request_sync(builder.end(), None).get_id()

    pop = Horde.ImageGenerateJobPopRequestBuilder.new()
    pop.set_name('py-painter')
    pop.set_models(['stable_diffusion'])
    # an agent the sim gives r2 requests (the default) to
    pop.set_bridge_agent('py-painter:1:local')
    pop.set_max_pixels(1048576)
    pop.set_amount(2)
    job = worker.send_image_generate_job_pop_request_sync(pop.end(), None)
    assert len(job.get_ids()) == 2, job.get_ids()

    assert worker.give_back_image_job_sync(job, None)
    stats = sim_stats(requester, 'image')
    assert stats['faulted'] == 2 and stats['rejected'] == 0, stats

    check = Horde.ImageGenerateCheckRequest.new(request_id)
    status = requester.send_image_generate_check_request_sync(check, None)
    assert status.get_waiting() == 2 and status.get_processing() == 0
    print('ok 1 - image job given back: %d generations waiting again' % status.get_waiting())


def test_text(requester, worker):
    builder = Horde.TextGenerateAsyncRequestBuilder.new()
    builder.set_prompt('Once upon a time')
    requester.send_text_generate_async_request_sync(builder.end(), None)

    pop = Horde.TextGenerateJobPopRequestBuilder.new()
    pop.set_name('py-scribe')
    pop.set_models(['koboldcpp/LLaMA2-13B-Psyfighter2'])
    pop.set_max_length(512)
    pop.set_max_context_length(4096)
    job = worker.send_text_generate_job_pop_request_sync(pop.end(), None)
    assert job.get_id()

    assert worker.give_back_text_job_sync(job, None)
    assert sim_stats(requester, 'text')['faulted'] == 1
    print('ok 2 - text job given back')


def test_alchemy(requester, worker):
    form = Horde.ModelInterrogationFormStableBuilder.new()
    form.set_name('caption')
    builder = Horde.AlchemyAsyncRequestBuilder.new()
    builder.set_source_image('https://example.invalid/cat.webp')
    builder.set_forms([form.end()])
    requester.send_alchemy_async_request_sync(builder.end(), None)

    pop = Horde.AlchemyPopRequestBuilder.new()
    pop.set_name('py-alchemist')
    pop.set_forms(['caption'])
    answer = worker.send_alchemy_pop_request_sync(pop.end(), None)
    forms = answer.get_forms()
    assert len(forms) == 1

    assert worker.give_back_alchemy_form_sync(forms[0], None)
    assert sim_stats(requester, 'interrogation')['faulted'] == 1
    print('ok 3 - alchemy form given back (%s)' % Horde.GENERATION_STATE_FAULTED)


def main():
    print('1..3')
    with tempfile.NamedTemporaryFile('w', suffix='.json') as users:
        json.dump([{'key': WORKER_KEY, 'username': 'wowner', 'kudos': 10, 'id': 6}], users)
        users.flush()
        sim, url = start_sim(users.name)
        try:
            requester = client_for(url, Horde.ANONYMOUS_API_KEY)
            worker = client_for(url, WORKER_KEY)
            test_image(requester, worker)
            test_text(requester, worker)
            test_alchemy(requester, worker)
        finally:
            sim.terminate()
            assert sim.wait(timeout=10) == 0
    return 0


if __name__ == '__main__':
    sys.exit(main())
