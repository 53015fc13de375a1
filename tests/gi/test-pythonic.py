#!/usr/bin/python3
# test-pythonic.py: libhorde from Python as a horde_sdk user writes it:
# records made with keywords (nested dicts, lists of dicts, enum values),
# fields read as attributes, to_dict()/from_dict(), the simple client's
# calls (image_generate_request, …) and asyncio (await on the *_async
# methods, cancellation, `async with Horde.Session`), against horde-sim.
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import asyncio
import base64
import json
import os
import signal
import subprocess
import sys
import urllib.request

import gi
gi.require_version('Horde', '1.0')
gi.require_version('GdkPixbuf', '2.0')
from gi.repository import GdkPixbuf, GLib, Horde  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = []


def test(function):
    TESTS.append(function)
    return function


# ---- records ----------------------------------------------------------------

@test
def test_keywords():
    request = Horde.ImageGenerateAsyncRequest(
        prompt='A cat in a hat', models=['Deliberate'],
        params=dict(width=512, height=768, sampler_name=Horde.Sampler.K_EULER_A, clip_skip=1, n=2,
                    post_processing=[Horde.PostProcessor.GFPGAN, Horde.PostProcessor.STRIP_BACKGROUND],
                    loras=[{'name': 'GlowingRunesAI', 'model': 0.5}, Horde.ModelPayloadLorasStable(name='x')]),
        source_processing=Horde.SourceProcessing.IMG2IMG,
        extra_source_images=[{'image': 'aGVsbG8=', 'strength': 0.5}],
        nsfw=False, dry_run=None)
    # the same class as the records libhorde makes
    assert type(request) is Horde.ImageGenerateAsyncRequest, type(request)
    assert type(request.get_params()) is Horde.ModelGenerationInputStable
    params = request.get_params()
    assert params.get_width() == 512 and params.get_height() == 768 and params.get_n() == 2
    # an enum value goes through set_<field>_enum()
    assert params.get_sampler_name() == 'k_euler_a'
    assert params.get_sampler_name_enum() == Horde.Sampler.K_EULER_A
    assert params.get_post_processing() == ['GFPGAN', 'strip_background'], params.get_post_processing()
    # a list of dicts, each made a record of the list's type (and a record as it is)
    loras = params.get_loras()
    assert [type(lora) for lora in loras] == [Horde.ModelPayloadLorasStable] * 2, loras
    assert [lora.get_name() for lora in loras] == ['GlowingRunesAI', 'x']
    assert loras[0].get_model() == 0.5
    images = request.get_extra_source_images()
    assert len(images) == 1 and images[0].get_image() == 'aGVsbG8=' and images[0].get_strength() == 0.5
    assert request.get_source_processing() == 'img2img'
    assert request.has_nsfw() and not request.get_nsfw()
    # None leaves a field unset
    assert not request.has_dry_run()
    # where only the string setter exists, an enum value is its wire string
    models = Horde.StatusModelsAllRequest(kind=Horde.WorkerType.IMAGE)
    assert models.get_kind() == 'image', models.get_kind()
    # strings work as before (a value this libhorde does not know yet too)
    assert Horde.ModelGenerationInputStable(sampler_name='k_new_one').get_sampler_name() == 'k_new_one'
    print('ok - keyword constructor: nested dict, list of dicts, enums')


@test
def test_keyword_errors():
    try:
        Horde.ImageGenerateAsyncRequest(prompt='x', colour='red')
    except TypeError as e:
        assert 'ImageGenerateAsyncRequest' in str(e) and 'colour' in str(e), str(e)
    else:
        assert False, 'an unknown keyword was accepted'
    # in a nested dict too, naming the nested type
    try:
        Horde.ImageGenerateAsyncRequest(prompt='x', params={'widht': 512})
    except TypeError as e:
        assert 'ModelGenerationInputStable' in str(e) and 'widht' in str(e), str(e)
    else:
        assert False, 'an unknown nested keyword was accepted'
    try:
        Horde.ImageGenerateAsyncRequest('x')
    except TypeError as e:
        assert 'keyword' in str(e), str(e)
    else:
        assert False, 'a positional argument was accepted'
    # the builder's checks: an AIHordeRequestError with the field's problem
    try:
        Horde.ImageGenerateAsyncRequest(prompt='x', params=dict(width=513))
    except Horde.AIHordeRequestError as e:
        assert e.kind == Horde.Error.VALIDATION, e.kind
        assert 'width' in e.errors, e.errors
    else:
        assert False, 'a width of 513 was accepted'
    try:
        Horde.ImageGenerateAsyncRequest()
    except Horde.AIHordeRequestError as e:
        assert 'prompt' in e.message, e.message
    else:
        assert False, 'a request without a prompt was accepted'
    print('ok - unknown keywords are TypeError, invalid values AIHordeRequestError')


@test
def test_empty():
    # no zeroed struct: the builder's empty record, usable as any other
    params = Horde.ModelGenerationInputStable()
    assert type(params) is Horde.ModelGenerationInputStable
    assert params.to_json() == '{}', params.to_json()
    assert not params.has_width()
    find = Horde.FindUserRequest()
    assert type(find) is Horde.FindUserRequest
    assert find.equal(Horde.FindUserRequestBuilder.new().end())
    print('ok - Horde.X() is the empty record of its builder')


@test
def test_attributes():
    request = Horde.ImageGenerateAsyncRequest(prompt='A cat', models=['Deliberate'],
                                             params={'width': 576, 'sampler_name': Horde.Sampler.K_LMS})
    assert request.prompt == 'A cat'
    assert request.models == ['Deliberate']
    assert request.params.width == 576
    assert request.params.sampler_name == 'k_lms'
    assert request.params.sampler_name_enum == Horde.Sampler.K_LMS
    # a method stays a method
    assert callable(request.to_json)
    for name in ('colour', 'extra_field', '_private'):
        try:
            getattr(request, name)
        except AttributeError as e:
            assert str(e) == "'ImageGenerateAsyncRequest' object has no attribute '%s'" % name, str(e)
        else:
            assert False, 'request.%s did not raise AttributeError' % name
    assert not hasattr(request.params, 'height_x')
    # a getter whose array's length is an out argument: a list type's items
    models = Horde.ActiveModelList.from_dict([{'name': 'Deliberate', 'count': 3}, {'name': 'x', 'count': 1}])
    assert [(m.name, m.count) for m in models.items] == [('Deliberate', 3), ('x', 1)]
    print('ok - fields read as attributes')


@test
def test_dicts():
    request = Horde.ImageGenerateAsyncRequest(
        prompt='A cat', models=['Deliberate'], nsfw=False,
        params=dict(width=512, height=768, n=2, sampler_name=Horde.Sampler.K_EULER_A,
                    loras=[{'name': 'a', 'model': 1.0}]))
    data = request.to_dict()
    assert data == {'prompt': 'A cat', 'models': ['Deliberate'], 'nsfw': False,
                    'params': {'width': 512, 'height': 768, 'n': 2, 'sampler_name': 'k_euler_a',
                               'loras': [{'name': 'a', 'model': 1.0}]}}, data
    again = Horde.ImageGenerateAsyncRequest.from_dict(data)
    assert type(again) is Horde.ImageGenerateAsyncRequest
    assert again.equal(request) and again.to_dict() == data
    # the keywords of a record are its dict
    assert Horde.ImageGenerateAsyncRequest(**data).equal(request)
    # from_dict reads as from the server: what does not fit is kept as it
    # came, not taken for a value; what is not an object fails
    odd = Horde.ModelGenerationInputStable.from_dict({'width': 'wide'})
    assert not odd.has_width() and odd.to_dict() == {'width': 'wide'}
    try:
        Horde.ModelGenerationInputStable.from_dict([512])
    except Horde.AIHordeRequestError as e:
        assert e.kind == Horde.Error.INVALID_JSON, e.kind
    else:
        assert False, 'a list was read as an object'
    print('ok - to_dict() and from_dict() round trip')


# ---- horde-sim ----------------------------------------------------------------

class Sim:
    """A horde-sim of its own (no workers unless asked) and its /_sim calls."""

    def __init__(self, *args):
        self.process = subprocess.Popen([os.environ['HORDE_SIM'], '--port', '0', *args],
                                        stdout=subprocess.PIPE, text=True)
        self.url = self.process.stdout.readline().strip()
        assert self.url.startswith('http://127.0.0.1:') and self.url.endswith('/api'), self.url
        self.root = self.url[:-len('/api')]

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.process.terminate()
        assert self.process.wait(timeout=10) == 0

    def call(self, method, path, data=None):
        body = None if data is None else (data if isinstance(data, bytes) else json.dumps(data).encode())
        request = urllib.request.Request(self.root + path, data=body, method=method,
                                         headers={'Content-Type': 'application/json',
                                                  'apikey': '0000000000'})
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.load(answer)

    def jobs(self):
        return self.call('GET', '/_sim/stats')['jobs']

    def deletes(self, id):
        return self.jobs()[id]['requests']['delete']

    def client(self):
        client = Horde.Client.new()
        client.set_base_url(self.url)
        return client


def image_request(**fields):
    return Horde.ImageGenerateAsyncRequest(
        prompt='A cat in a hat', models=['Deliberate'],
        params=dict(dict(width=512, height=768, sampler_name=Horde.Sampler.K_EULER_A, clip_skip=1, n=2),
                    **fields))


def source_image():
    pixbuf = GdkPixbuf.Pixbuf.new(GdkPixbuf.Colorspace.RGB, False, 8, 64, 48)
    pixbuf.fill(0x3366ccff)
    ok, png = pixbuf.save_to_bufferv('png', [], [])
    assert ok
    return base64.b64encode(png).decode('ascii')


def image_format(data):
    if data[:8] == b'\x89PNG\r\n\x1a\n':
        return 'png'
    if data[:4] == b'RIFF' and data[8:12] == b'WEBP':
        return 'webp'
    return None


# ---- the simple client ------------------------------------------------------

@test
def test_simple_client():
    with Sim('--job-time', '200') as sim:
        client = sim.client()
        request = image_request()
        kudos = client.image_generate_request_dry_run(request)
        assert sim.jobs() == {}, 'a dry run queued a request'
        price = sim.call('POST', '/api/v2/generate/async', dict(request.to_dict(), dry_run=True))
        assert kudos > 0 and abs(kudos - price['kudos']) < 1e-6, (kudos, price)

        images = client.image_generate_request(request)
        assert len(images) == 2 and all(type(i) is Horde.GeneratedImage for i in images), images
        for image in images:
            assert image_format(bytes(image)) in ('webp', 'png')
            assert (image.get_pixbuf().get_width(), image.get_pixbuf().get_height()) == (512, 768)
        (id, job), = sim.jobs().items()
        assert job['finished'] is not None and job['requests']['delete'] == 0, job
        assert client.get_n_jobs() == 0

        texts = client.text_generate_request(Horde.TextGenerateAsyncRequest(
            prompt='Once upon a time', params=dict(n=2, max_length=16)))
        assert len(texts) == 2 and all(t.text for t in texts), texts

        results = client.alchemy_request(Horde.AlchemyAsyncRequest(
            forms=[{'name': Horde.AlchemyForm.CAPTION}, {'name': 'nsfw'}], source_image=source_image()))
        assert [r.get_form() for r in results] == ['caption', 'nsfw'], results
        assert results[0].get_caption()
    print('ok - the simple client: dry run, images, texts, alchemy')


@test
def test_simple_client_failure():
    # the server fails the polls: the run fails with the request still on
    # the server, and the simple client deletes it before raising
    with Sim('--workers', '0') as sim:
        sim.call('POST', '/_sim/faults', b'status:400@GET /api/v2/generate/check/*,rc=Broken')
        client = sim.client()
        try:
            client.image_generate_request(image_request())
        except Horde.AIHordeRequestError as e:
            assert e.status == 400 and e.rc == 'Broken', (e.status, e.rc)
        else:
            assert False, 'the run did not fail'
        (id, job), = sim.jobs().items()
        assert job['requests']['delete'] == 1, job
    print('ok - a failed run: the simple client deleted the request before raising')


class Alarm(Exception):
    pass


@test
def test_simple_client_exception():
    # an exception raised in the middle of the run (by a signal handler,
    # here an alarm's, once the request is on the server) leaves it with
    # the request deleted
    with Sim('--workers', '0') as sim:
        def alarm(signum, frame):
            if sim.jobs():
                raise Alarm()
            signal.setitimer(signal.ITIMER_REAL, 0.05)
        previous = signal.signal(signal.SIGALRM, alarm)
        try:
            signal.setitimer(signal.ITIMER_REAL, 0.05)
            client = sim.client()
            try:
                client.image_generate_request(image_request())
            except Alarm:
                pass
            else:
                assert False, 'the exception did not reach the caller'
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        (id, job), = sim.jobs().items()
        assert job['requests']['delete'] == 1, job
        assert client.get_n_jobs() == 0
    print('ok - an exception mid-job: the request was deleted before it reached the caller')


# ---- asyncio ------------------------------------------------------------------

def pump_idle():
    # nothing iterates GLib's context when nothing is pending
    from gi.overrides import Horde as overrides
    loop = asyncio.get_running_loop()
    pump = overrides._pumps.get(loop)
    return pump is None or (pump.pending == 0 and pump.handle is None)


async def until(condition):
    while not condition():
        await asyncio.sleep(0.01)


async def queued(job):
    """Runs @job in a task until the server holds its request."""
    task = asyncio.ensure_future(job.run_async())
    await until(lambda: job.get_state() == Horde.JobState.WAITING or task.done())
    assert not task.done(), task
    return task


@test
def test_asyncio():
    async def main(sim):
        client = sim.client()
        assert pump_idle()
        user = await client.send_find_user_request_async(Horde.FindUserRequest())
        assert type(user) is Horde.UserDetails and user.username.startswith('Anonymous'), user
        assert pump_idle()
        # two jobs at once
        jobs = [Horde.ImageJob.new(client, image_request(n=1)) for _ in range(2)]
        assert await asyncio.gather(*(job.run_async() for job in jobs)) == [True, True]
        assert [job.get_images().get_n_items() for job in jobs] == [1, 1]
        assert [job.get_state() for job in jobs] == [Horde.JobState.DONE] * 2
        assert pump_idle()
        # errors are raised by the await
        try:
            await client.send_find_user_request_async(Horde.FindUserRequest(), None)
        except Horde.AIHordeRequestError:
            assert False, 'the anonymous user was not found'
        # with a callback it is the C call
        ended = []
        job = Horde.ImageJob.new(client, image_request(n=1))
        assert job.run_async(None, lambda job, result: ended.append(job.run_finish(result))) is None
        assert await asyncio.gather(Horde.ImageJob.new(client, image_request(n=1)).run_async()) == [True]
        await until(lambda: ended)
        assert ended == [True]
        # the simple client's calls as coroutines
        simple_client = Horde.AsyncSimpleClient(client)
        kudos = await simple_client.image_generate_request_dry_run(image_request())
        assert kudos > 0
        images = await simple_client.image_generate_request(image_request())
        assert len(images) == 2 and all(image_format(bytes(i)) for i in images)
        assert await client.clean_up_async() == []
        assert pump_idle()

    with Sim('--job-time', '200') as sim:
        asyncio.run(main(sim))
        assert len(sim.jobs()) == 5 and all(j['requests']['delete'] == 0 for j in sim.jobs().values())
    print('ok - asyncio: awaited calls, two jobs with gather, the async simple client')


@test
def test_asyncio_cancel():
    async def main(sim):
        client = sim.client()
        job = Horde.ImageJob.new(client, image_request())
        task = await queued(job)
        assert sim.deletes(job.get_id()) == 0
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            # the server saw the DELETE before the cancel reached us
            assert sim.deletes(job.get_id()) == 1
            assert not job.get_on_server()
            assert job.get_state() == Horde.JobState.CANCELLED, job.get_state()
        else:
            assert False, 'the task was not cancelled'
        assert pump_idle()

        # a timeout (asyncio.wait_for) is a cancel too
        job = Horde.ImageJob.new(client, image_request())
        task = await queued(job)
        try:
            await asyncio.wait_for(task, 0.2)
        except asyncio.TimeoutError:
            assert sim.deletes(job.get_id()) == 1
            assert not job.get_on_server()
        else:
            assert False, 'the job ended with no worker'

    with Sim('--workers', '0') as sim:
        asyncio.run(main(sim))
    print('ok - a cancelled task: the DELETE was seen before the await ended')


@test
def test_asyncio_session():
    async def main(sim):
        client = sim.client()
        session = Horde.Session(client)
        try:
            async with session:
                job = Horde.ImageJob.new(client, image_request())
                task = await queued(job)
                raise RuntimeError('the script failed')
        except RuntimeError:
            pass
        else:
            assert False, 'the exception was swallowed'
        assert session.deleted == [job.get_id()], session.deleted
        assert sim.deletes(job.get_id()) == 1
        # the run ended with the deletion
        try:
            await task
        except GLib.Error:
            pass
        assert not job.get_on_server() and client.get_n_jobs() == 0

        # a normal end leaves nothing either, and keeps what is kept
        async with Horde.Session(client) as session:
            kept = Horde.ImageJob.new(client, image_request())
            kept.set_keep(True)
            left = Horde.ImageJob.new(client, image_request())
            tasks = [await queued(kept), await queued(left)]
        assert session.deleted == [left.get_id()], session.deleted
        assert sim.deletes(left.get_id()) == 1 and sim.deletes(kept.get_id()) == 0
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    with Sim('--workers', '0') as sim:
        asyncio.run(main(sim))
    print('ok - async with Horde.Session deletes the requests left on any exit')


@test
def test_asyncio_sigint():
    with Sim('--workers', '0') as sim:
        child = subprocess.Popen([sys.executable, os.path.join(HERE, 'asyncio-child.py'), sim.url],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = child.stdout.readline().split()
        assert len(line) == 2 and line[0] == 'queued', line
        id = line[1]
        assert sim.deletes(id) == 0
        child.send_signal(signal.SIGINT)
        try:
            out, err = child.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            raise
        # asyncio.run() cancelled the main task: the job deleted its
        # request, then the cancellation went on, and KeyboardInterrupt
        assert out.splitlines() == ['ended CancelledError %s cancelled deleted' % id], (out, err)
        assert 'KeyboardInterrupt' in err, err
        assert child.returncode == -signal.SIGINT, (child.returncode, err)
        assert sim.deletes(id) == 1
    print('ok - Ctrl+C in asyncio.run(): the request was deleted before the script ended')


def main():
    print('1..%d' % len(TESTS))
    for function in TESTS:
        function()


if __name__ == '__main__':
    main()
