#!/usr/bin/python3
# test-image-job.py: libhorde from Python through GObject introspection:
# horde_sdk's getting-started flow, with the manual call and with the job,
# against horde-sim.
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import subprocess
import sys

import gi
gi.require_version('Horde', '1.0')
gi.require_version('GdkPixbuf', '2.0')
from gi.repository import GLib, Horde  # noqa: E402


def start_sim(*args):
    sim = subprocess.Popen([os.environ['HORDE_SIM'], '--port', '0', *args],
                           stdout=subprocess.PIPE, text=True)
    url = sim.stdout.readline().strip()
    assert url.startswith('http://127.0.0.1:') and url.endswith('/api'), url
    return sim, url


def stop_sim(sim):
    sim.terminate()
    assert sim.wait(timeout=10) == 0


def cat_in_a_hat():
    params = Horde.ModelGenerationInputStableBuilder.new()
    params.set_width(512)
    params.set_height(768)
    params.set_sampler_name('k_euler_a')
    params.set_clip_skip(1)
    params.set_n(2)
    builder = Horde.ImageGenerateAsyncRequestBuilder.new()
    builder.set_prompt('A cat in a hat')
    builder.set_models(['Deliberate'])
    builder.set_params(params.end())
    builder.set_r2(False)
    return builder.end()


def test_typed_call(client):
    request = cat_in_a_hat()
    # the success response type, looked up from the request, as in horde_sdk
    response_type = request.get_success_response_type()
    assert response_type.name == 'HordeRequestAsync', response_type.name
    # PyGObject 3.42 cannot keep a boxed value it receives in a GValue out
    # argument alive, so Python sends with the typed call of the operation
    response = client.send_image_generate_async_request_sync(request, None)
    assert response.__gtype__ == response_type
    assert response.get_id()
    assert response.get_kudos() > 0

    op = Horde.Operation.lookup('GET', '/v2/generate/check/{id}')
    check = client.send_image_generate_check_request_sync(
        Horde.ImageGenerateCheckRequest.new(response.get_id()), None)
    assert check.__gtype__ == op.get_success_response_type()
    assert not check.get_faulted()
    print('ok 1 - typed call: %s, %s kudos' % (response.get_id(), response.get_kudos()))


def test_job(client):
    job = Horde.ImageJob.new(client, cat_in_a_hat())
    states = []
    job.connect('notify::state', lambda j, _p: states.append(j.get_state()))
    arrived = []
    job.connect('image-arrived', lambda j, position, image: arrived.append((position, image)))

    ok, kudos = job.estimate_sync(None)
    assert ok and kudos > 0, kudos

    assert job.run_sync(None)
    assert job.get_state() == Horde.JobState.DONE, job.get_state()
    assert states[-1] == Horde.JobState.DONE
    images = job.get_images()
    assert images.get_n_items() == 2
    for image in images:
        assert image.get_mime_type() == 'image/webp'
        pixbuf = image.get_pixbuf()
        assert (pixbuf.get_width(), pixbuf.get_height()) == (512, 768)
        assert image.get_seed()
    # each announced as it joined the list, with its generation
    assert [position for position, _image in arrived] == [0, 1], arrived
    for position, image in arrived:
        assert images.get_item(position) == image
        assert image.get_generation().get_id()
    print('ok 2 - image job: %d images of 512x768' % images.get_n_items())


def test_errors(client):
    builder = Horde.ModelGenerationInputStableBuilder.new()
    builder.set_width(500)
    try:
        builder.end()
        raise AssertionError('a width of 500 was accepted')
    except GLib.Error as e:
        assert e.matches(Horde.error_quark(), Horde.Error.VALIDATION), e
        assert 'width' in e.message
    try:
        client.send_image_generate_check_request_sync(
            Horde.ImageGenerateCheckRequest.new('00000000-0000-0000-0000-000000000000'), None)
        raise AssertionError('an unknown id was found')
    except GLib.Error as e:
        assert e.matches(Horde.error_quark(), Horde.Error.NOT_FOUND), e
        assert 'RequestNotFound' in e.message
    print('ok 3 - errors are GLib.Error in the Horde domain')


def main():
    print('1..3')
    sim, url = start_sim('--job-time', '200')
    try:
        client = Horde.Client.new()
        client.set_base_url(url)
        test_typed_call(client)
        test_job(client)
        test_errors(client)
    finally:
        stop_sim(sim)
    return 0


if __name__ == '__main__':
    sys.exit(main())
