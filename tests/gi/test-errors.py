#!/usr/bin/python3
# test-errors.py: a failed call's facts reach Python as values, against
# horde-sim: Horde.AIHordeRequestError (from the override module) with .rc,
# .status, .server_message and .errors from the typed calls, the job's
# run_sync() and run_finish(), and the C getters on a GLib.Error that
# PyGObject rebuilt from domain, code and message.
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import subprocess
import sys
import urllib.request

import gi
gi.require_version('Horde', '1.0')
from gi.repository import Gio, GLib, Horde  # noqa: E402


def start_sim(*args):
    sim = subprocess.Popen([os.environ['HORDE_SIM'], '--port', '0', *args],
                           stdout=subprocess.PIPE, text=True)
    url = sim.stdout.readline().strip()
    assert url.startswith('http://127.0.0.1:') and url.endswith('/api'), url
    return sim, url


def set_faults(url, spec):
    base = url.rsplit('/api', 1)[0]
    method = 'POST' if spec else 'DELETE'
    request = urllib.request.Request(base + '/_sim/faults', data=spec.encode() if spec else None,
                                     method=method, headers={'Content-Type': 'text/plain'})
    with urllib.request.urlopen(request) as answer:
        assert answer.status == 200, answer.status


def image_request(steps=20, size=512):
    params = Horde.ModelGenerationInputStableBuilder.new()
    params.set_width(size)
    params.set_height(size)
    params.set_steps(steps)
    builder = Horde.ImageGenerateAsyncRequestBuilder.new()
    builder.set_prompt('a giant')
    builder.set_models(['Deliberate'])
    builder.set_params(params.end())
    return builder.end()


def expect_request_error(call):
    try:
        call()
    except Horde.AIHordeRequestError as e:
        assert isinstance(e, GLib.Error), type(e).__mro__
        return e
    raise AssertionError('no Horde.AIHordeRequestError')


def test_kudos_upfront(client, url):
    # anonymous, 1024×1024 at 100 steps: the server wants kudos up front
    job = Horde.ImageJob.new(client, image_request(steps=100, size=1024))
    e = expect_request_error(lambda: job.run_sync(None))
    assert e.rc == 'KudosUpfront' and e.status == 403, (e.rc, e.status)
    assert e.rc_value == Horde.Rc.KUDOSUPFRONT, e.rc_value
    assert e.kind == Horde.Error.FORBIDDEN and e.code == int(Horde.Error.FORBIDDEN), e.kind
    assert e.matches(Horde.Error.quark(), Horde.Error.FORBIDDEN)
    assert e.server_message and e.server_message in e.message, (e.server_message, e.message)
    assert e.errors == {}, e.errors
    assert not e.transient
    assert job.get_state() == Horde.JobState.FAILED

    # the typed call of the operation raises the same
    e = expect_request_error(lambda: client.send_image_generate_async_request_sync(
        image_request(steps=100, size=1024), None))
    assert (e.rc, e.status) == ('KudosUpfront', 403), (e.rc, e.status)

    # except GLib.Error keeps catching it, as before the override
    try:
        client.send_image_generate_async_request_sync(image_request(steps=100, size=1024), None)
        raise AssertionError('sent')
    except GLib.Error as e:
        assert e.rc == 'KudosUpfront'
    print('ok 1 - KudosUpfront: rc, status, server message as values')


def test_async_finish(client, url):
    # the _finish half of an asynchronous pair raises it too
    job = Horde.ImageJob.new(client, image_request(steps=100, size=1024))
    loop = GLib.MainLoop()
    caught = []

    def done(job, result):
        try:
            job.run_finish(result)
        except Exception as e:  # noqa: B902 - what is raised is the test
            caught.append(e)
        loop.quit()

    job.run_async(None, done)
    loop.run()
    assert len(caught) == 1 and isinstance(caught[0], Horde.AIHordeRequestError), caught
    assert (caught[0].rc, caught[0].status) == ('KudosUpfront', 403)
    print('ok 2 - run_finish raises Horde.AIHordeRequestError')


def test_server_validation(client, url):
    # a width of the wrong type is kept aside by the parser, not checked by
    # the client: the server's schema validation answers 400 with field errors
    request = Horde.ImageGenerateAsyncRequest.new_from_json(
        '{"prompt": "x", "params": {"width": "wide"}}', -1)
    e = expect_request_error(lambda: client.send_image_generate_async_request_sync(request, None))
    assert e.status == 400 and e.kind == Horde.Error.VALIDATION, (e.status, e.kind)
    assert e.rc is None, e.rc
    assert e.server_message == 'Input payload validation failed', e.server_message
    assert isinstance(e.errors, dict) and list(e.errors) == ['params.width'], e.errors
    assert isinstance(e.errors['params.width'], str) and e.errors['params.width'], e.errors
    print('ok 3 - a 400 validation answer: field errors as a dict')


def test_checked_before_sending(client, url):
    request = Horde.ImageGenerateAsyncRequest.new_from_json(
        '{"prompt": "x", "params": {"width": 500}}', -1)
    e = expect_request_error(lambda: client.send_image_generate_async_request_sync(request, None))
    assert e.status == 0 and e.rc is None and e.kind == Horde.Error.VALIDATION, (e.status, e.rc, e.kind)
    assert 'params.width' in e.errors, e.errors

    # a constructor that fails raises it too
    e = expect_request_error(lambda: Horde.ImageGenerateAsyncRequest.new_from_json('{"prompt": ', -1))
    assert e.kind == Horde.Error.INVALID_JSON and e.status == 0, (e.kind, e.status)
    print('ok 4 - checks before sending: field errors, no status')


def test_any_rc(client, url):
    # the sim answers any rc the real server has
    set_faults(url, 'status:403@POST /api/v2/generate/async,count=1,rc=TimeoutIP,'
                    'message=Your IP address has been put in timeout')
    e = expect_request_error(lambda: client.send_image_generate_async_request_sync(image_request(), None))
    assert (e.rc, e.status, e.kind) == ('TimeoutIP', 403, Horde.Error.FORBIDDEN), (e.rc, e.status, e.kind)
    assert e.server_message == 'Your IP address has been put in timeout', e.server_message

    set_faults(url, 'status:404@GET /api/v2/generate/status/*,count=1,rc=RequestNotFound,'
                    'message=Request not found')
    e = expect_request_error(lambda: client.send_image_generate_status_request_sync(
        Horde.ImageGenerateStatusRequest.new('00000000-0000-0000-0000-000000000000'), None))
    assert (e.rc, e.status, e.kind) == ('RequestNotFound', 404, Horde.Error.NOT_FOUND), (e.rc, e.status)
    set_faults(url, None)
    print('ok 5 - any rc of the server, from a fault rule')


def test_rebuilt_error(client, url):
    # the design under the exception: the C getters find the facts of a
    # GLib.Error that has nothing but domain, code and message
    try:
        client.send_image_generate_async_request_sync(image_request(steps=100, size=1024), None)
        raise AssertionError('sent')
    except GLib.Error as e:
        caught = e
    bare = GLib.Error(caught.message, caught.domain, caught.code)
    assert type(bare) is GLib.Error
    assert Horde.Error.get_rc(bare) == 'KudosUpfront'
    assert Horde.Error.get_status(bare) == 403
    assert Horde.Error.get_server_message(bare) == caught.server_message
    assert Horde.AIHordeRequestError.from_error(bare).rc == 'KudosUpfront'

    # a message libhorde never made has no facts
    other = GLib.Error(caught.message + ' (edited)', caught.domain, caught.code)
    assert Horde.Error.get_rc(other) is None and Horde.Error.get_status(other) == 0
    # nor has the same message with another code
    other = GLib.Error(caught.message, caught.domain, int(Horde.Error.FAILED))
    assert Horde.Error.get_rc(other) is None
    print('ok 6 - the C getters on a GLib.Error rebuilt by the binding')


def test_cancelled_stays_gio(client, url):
    cancellable = Gio.Cancellable()
    cancellable.cancel()
    try:
        Horde.ImageJob.new(client, image_request()).run_sync(cancellable)
        raise AssertionError('ran')
    except GLib.Error as e:
        assert not isinstance(e, Horde.AIHordeRequestError), type(e)
        assert e.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED), e
    print('ok 7 - cancellation stays a Gio.IOErrorEnum GLib.Error')


def test_image_bytes(client, url):
    job = Horde.ImageJob.new(client, image_request())
    assert job.run_sync(None)
    image = job.get_images()[0]
    data = bytes(image)
    assert isinstance(data, bytes) and len(data) == image.get_bytes().get_size(), len(data)
    assert data[:4] == b'RIFF' or data[:8] == b'\x89PNG\r\n\x1a\n', data[:8]
    print('ok 8 - bytes(image) is the image file')


def main():
    tests = [test_kudos_upfront, test_async_finish, test_server_validation,
             test_checked_before_sending, test_any_rc, test_rebuilt_error,
             test_cancelled_stays_gio, test_image_bytes]
    print('1..%d' % len(tests))
    sim, url = start_sim()
    try:
        client = Horde.Client.new()
        client.set_base_url(url)
        for test in tests:
            test(client, url)
    finally:
        sim.terminate()
        sim.wait(timeout=10)
    return 0


if __name__ == '__main__':
    sys.exit(main())
