#!/usr/bin/python3
# test-pythonic.py: libhorde from Python as a horde_sdk user writes it:
# records made with keywords (nested dicts, lists of dicts, enum values),
# fields read as attributes, to_dict()/from_dict(), the simple client's
# calls (image_generate_request, …) and asyncio (await on the *_async
# methods, cancellation, `async with Horde.Session`), against horde-sim.
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
from gi.repository import GLib, Horde  # noqa: E402

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


def main():
    print('1..%d' % len(TESTS))
    for function in TESTS:
        function()


if __name__ == '__main__':
    main()
