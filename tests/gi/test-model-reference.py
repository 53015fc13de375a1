#!/usr/bin/python3
# test-model-reference.py: the model reference from Python, as a
# horde_model_reference user would reach for it: load it from horde-sim,
# look a model up, join /v2/status/models with it, and load it again from
# the cache alone once the sim is gone.
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import shutil
import subprocess
import tempfile

import gi
gi.require_version('Horde', '1.0')
from gi.repository import GLib, Horde  # noqa: E402


def start_sim():
    sim = subprocess.Popen([os.environ['HORDE_SIM'], '--port', '0'], stdout=subprocess.PIPE, text=True)
    url = sim.stdout.readline().strip()
    assert url.startswith('http://127.0.0.1:') and url.endswith('/api'), url
    return sim, url


def reference_for(root, cache_dir):
    return Horde.ModelReference(image_url=root + '/model-reference/image.json',
                                text_url=root + '/model-reference/text.json',
                                cache_dir=cache_dir)


def main():
    print('1..4')
    cache_dir = tempfile.mkdtemp(prefix='horde-model-reference-py-')
    sim, url = start_sim()
    root = url[:-len('/api')]
    try:
        reference = reference_for(root, cache_dir)
        assert reference.load_sync(Horde.ModelReferenceFlags.NONE, None)
        record = reference.lookup_image('AlbedoBase XL (SDXL)')
        assert record.get_baseline() == Horde.ModelBaseline.STABLE_DIFFUSION_XL
        assert record.get_baseline_string() == 'stable_diffusion_xl'
        assert (record.get_native_width(), record.get_native_height()) == (1024, 1024)
        flux = reference.lookup_image('Flux.1-Schnell fp8 (Compact)')
        assert list(flux.get_samplers()) == ['k_euler'], flux.get_samplers()
        assert (flux.get_min_steps(), flux.get_max_steps()) == (3, 8)
        assert reference.lookup_image('no such model') is None
        print('ok 1 - records: SDXL at 1024x1024, Flux requires k_euler and 3 to 8 steps')

        names = [r.get_name() for r in reference.list_texts()]
        assert 'koboldcpp/LLaMA2-13B-Psyfighter2' in names, names
        text = reference.lookup_text('koboldcpp/LLaMA2-13B-Psyfighter2::worker#1')
        assert text.get_parameters() == 13000000000
        print('ok 2 - text records, found as the server finds them')

        client = Horde.Client.new()
        client.set_base_url(url)
        request = Horde.StatusModelsAllRequestBuilder.new()
        request.set_kind('image')
        models = client.send_status_models_all_request_sync(request.end(), None)
        infos = reference.join(models)
        lines = [info.to_string() for info in infos]
        sdxl = [line for line in lines if line.startswith('AlbedoBase XL (SDXL): ')]
        assert sdxl and sdxl[0].startswith('AlbedoBase XL (SDXL): SDXL, 1024×1024 native, 1 worker, '), lines
        assert all(info.get_image_record() is not None for info in infos)
        print('ok 3 - joined: %s' % sdxl[0])
    finally:
        sim.terminate()
        sim.wait()

    # the sim is gone: the cache answers, offline and not
    offline = reference_for(root, cache_dir)
    assert offline.load_sync(Horde.ModelReferenceFlags.OFFLINE, None)
    assert offline.lookup_image('Deliberate').get_nsfw()
    empty = tempfile.mkdtemp(prefix='horde-model-reference-py-')
    try:
        reference_for(root, empty).load_sync(Horde.ModelReferenceFlags.NONE, None)
        raise AssertionError('loaded with no cache and no server')
    except GLib.Error as e:
        assert e.matches(Horde.error_quark(), Horde.Error.NETWORK), e
    shutil.rmtree(empty)
    shutil.rmtree(cache_dir)
    print('ok 4 - offline from the cache; no cache and no server is HordeError.NETWORK')


main()
