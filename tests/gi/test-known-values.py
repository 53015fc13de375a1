#!/usr/bin/python3
# test-known-values.py: the enums of the AI Horde's known values from
# Python through GObject introspection: names and nicks as a horde_sdk
# user expects them (Horde.Sampler.K_EULER, .value_nick 'k_euler'), typed
# accessors beside the string ones, unknown server values kept as strings,
# the workers of horde-sim read as typed values, and the typed twins of the
# hand-written API (an error's rc, a model's samplers, an alchemy form).
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import json
import os
import shutil
import subprocess
import tempfile

import gi
gi.require_version('Horde', '1.0')
from gi.repository import GLib, GObject, Horde  # noqa: E402

ENUMS = [Horde.Sampler, Horde.PostProcessor, Horde.AlchemyForm, Horde.SourceProcessing,
         Horde.ModelState, Horde.WorkerType, Horde.Rc, Horde.WarningCode]


def test_names():
    assert Horde.Sampler.K_EULER.value_nick == 'k_euler'
    assert Horde.Sampler.K_DPMPP_2S_A.value_nick == 'k_dpmpp_2s_a'
    assert Horde.Sampler.DDIM.value_nick == 'DDIM'
    assert Horde.PostProcessor.REALESRGAN_X4PLUS.value_nick == 'RealESRGAN_x4plus'
    assert getattr(Horde.PostProcessor, '4X_ANIMESHARP').value_nick == '4x_AnimeSharp'
    assert Horde.AlchemyForm.CAPTION.value_nick == 'caption'
    assert Horde.SourceProcessing.INPAINTING.value_nick == 'inpainting'
    assert Horde.ModelState.ALL.value_nick == 'all'
    assert Horde.WorkerType.INTERROGATION.value_nick == 'interrogation'
    assert Horde.Rc.KUDOSUPFRONT.value_nick == 'KudosUpfront'
    assert Horde.WarningCode.NOAVAILABLEWORKER.value_nick == 'NoAvailableWorker'
    assert Horde.Sampler.UNKNOWN == 0
    print('ok 1 - names and nicks')


def test_round_trip():
    for enum in ENUMS:
        assert issubclass(enum, GObject.GEnum) and enum.__gtype__.is_a(GObject.TYPE_ENUM), enum
        for value in enum.__enum_values__.values():
            wire = enum.to_string(value)
            if value == 0:
                assert wire is None, (enum, value)
                continue
            assert enum.from_string(wire) == value, (enum, wire)
            # the nick is the wire string, but for what GI cannot name
            assert value.value_nick == wire.replace('.', '_'), (value.value_nick, wire)
        assert enum.from_string('NoSuchValueInThisBuild') == 0
    assert Horde.PostProcessor.to_string(Horde.PostProcessor.GFPGANV1_3) == 'GFPGANv1.3'
    assert len(Horde.Rc.__enum_values__) > 160
    print('ok 2 - every value round-trips through its wire string')


def test_accessors():
    builder = Horde.ModelGenerationInputStableBuilder.new()
    builder.set_sampler_name_enum(Horde.Sampler.K_EULER_A)
    builder.set_post_processing_enum([Horde.PostProcessor.GFPGAN, Horde.PostProcessor.STRIP_BACKGROUND])
    params = builder.end()
    body = json.loads(params.to_json())
    assert body == {'sampler_name': 'k_euler_a', 'post_processing': ['GFPGAN', 'strip_background']}, body
    assert params.get_sampler_name_enum() == Horde.Sampler.K_EULER_A
    assert list(params.get_post_processing_enum()) == [Horde.PostProcessor.GFPGAN,
                                                       Horde.PostProcessor.STRIP_BACKGROUND]

    # a value newer than this build: kept as a string, UNKNOWN typed
    newer = Horde.ModelGenerationInputStable.new_from_json(
        '{"sampler_name": "k_tomorrow", "post_processing": ["GFPGAN", "8x_Future"]}', -1)
    assert newer.get_sampler_name() == 'k_tomorrow'
    assert newer.get_sampler_name_enum() == Horde.Sampler.UNKNOWN
    assert list(newer.get_post_processing_enum()) == [Horde.PostProcessor.GFPGAN, Horde.PostProcessor.UNKNOWN]
    assert json.loads(newer.to_json())['sampler_name'] == 'k_tomorrow'

    error = Horde.RequestError.new_from_json('{"message": "m", "rc": "KudosUpfront"}', -1)
    assert error.get_rc_enum() == Horde.Rc.KUDOSUPFRONT
    error = Horde.RequestValidationError.new_from_json('{"message": "m", "rc": "KudosUpfront"}', -1)
    assert error.get_rc_enum() == Horde.Rc.KUDOSUPFRONT
    print('ok 3 - typed accessors: the wire string on the wire, unknown values kept')


def test_sim():
    sim = subprocess.Popen([os.environ['HORDE_SIM'], '--port', '0', '--text-workers', '1',
                            '--alchemy-workers', '1'], stdout=subprocess.PIPE, text=True)
    url = sim.stdout.readline().strip()
    assert url.startswith('http://127.0.0.1:') and url.endswith('/api'), url
    try:
        client = Horde.Client.new()
        client.set_base_url(url)
        request = Horde.AllWorkersDetailsRequestBuilder.new()
        request.set_kind_enum(Horde.WorkerType.TEXT)
        workers = client.send_all_workers_details_request_sync(request.end(), None)
        kinds = {w.get_kind_enum() for w in workers.get_items()}
        assert kinds == {Horde.WorkerType.TEXT}, kinds
        workers = client.send_all_workers_details_request_sync(Horde.AllWorkersDetailsRequestBuilder.new().end(), None)
        kinds = {w.get_kind_enum() for w in workers.get_items()}
        assert Horde.WorkerType.IMAGE in kinds and Horde.WorkerType.INTERROGATION in kinds, kinds
        assert Horde.WorkerType.UNKNOWN not in kinds
    finally:
        sim.terminate()
        sim.wait()
    print('ok 4 - horde-sim\'s workers read as typed values, a typed filter sent')


def test_hand_written():
    sim = subprocess.Popen([os.environ['HORDE_SIM'], '--port', '0', '--alchemy-workers', '1',
                            '--job-time', '200'], stdout=subprocess.PIPE, text=True)
    url = sim.stdout.readline().strip()
    assert url.startswith('http://127.0.0.1:') and url.endswith('/api'), url
    cache_dir = tempfile.mkdtemp(prefix='horde-known-values-py-')
    try:
        client = Horde.Client.new()
        client.set_base_url(url)

        # an error's rc: anonymous, 1024×1024 at 100 steps wants kudos upfront
        params = Horde.ModelGenerationInputStableBuilder.new()
        params.set_width(1024)
        params.set_height(1024)
        params.set_steps(100)
        builder = Horde.ImageGenerateAsyncRequestBuilder.new()
        builder.set_prompt('a castle')
        builder.set_params(params.end())
        try:
            client.send_image_generate_async_request_sync(builder.end(), None)
            raise AssertionError('an anonymous 100-step request was accepted')
        except GLib.Error as e:
            assert Horde.Error.get_rc(e) == 'KudosUpfront', Horde.Error.get_rc(e)
            assert Horde.Error.get_rc_enum(e) == Horde.Rc.KUDOSUPFRONT, Horde.Error.get_rc_enum(e)
        assert Horde.Error.get_rc_enum(GLib.Error('no such error')) == Horde.Rc.UNKNOWN

        # a model's samplers, from the reference horde-sim serves
        root = url[:-len('/api')]
        reference = Horde.ModelReference(image_url=root + '/model-reference/image.json',
                                         text_url=root + '/model-reference/text.json',
                                         cache_dir=cache_dir)
        assert reference.load_sync(Horde.ModelReferenceFlags.IMAGE, None)
        flux = reference.lookup_image('Flux.1-Schnell fp8 (Compact)')
        assert list(flux.get_samplers_enum()) == [Horde.Sampler.K_EULER], flux.get_samplers_enum()
        albedo = reference.lookup_image('AlbedoBase XL (SDXL)')
        assert list(albedo.get_samplers_enum()) == [], albedo.get_samplers_enum()

        # an alchemy result's form
        forms = []
        for name in ('caption', 'RealESRGAN_x2plus'):
            form = Horde.ModelInterrogationFormStableBuilder.new()
            form.set_name_enum(Horde.AlchemyForm.from_string(name))
            forms.append(form.end())
        builder = Horde.AlchemyAsyncRequestBuilder.new()
        builder.set_forms(forms)
        builder.set_source_image('https://example.invalid/source.webp')
        job = Horde.AlchemyJob.new(client, builder.end())
        assert job.run_sync(None)
        results = list(job.get_results())
        assert [r.get_form() for r in results] == ['caption', 'RealESRGAN_x2plus']
        assert [r.get_form_enum() for r in results] == [Horde.AlchemyForm.CAPTION,
                                                        Horde.AlchemyForm.REALESRGAN_X2PLUS]
    finally:
        sim.terminate()
        sim.wait()
        shutil.rmtree(cache_dir)
    print('ok 5 - typed twins of the hand-written API: rc, samplers, alchemy forms')


print('1..5')
test_names()
test_round_trip()
test_accessors()
test_sim()
test_hand_written()
