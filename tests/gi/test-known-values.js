#!/usr/bin/gjs -m
// test-known-values.js: the enums of the AI Horde's known values from
// JavaScript (gjs) through GObject introspection: constants a JS SDK user
// expects (Horde.Sampler.K_EULER), their wire strings, typed accessors
// beside the string ones, unknown server values kept as strings,
// horde-sim's workers read as typed values, and the typed twins of the
// hand-written API (an error's rc, a model's samplers, an alchemy form).
// The same contract as test-known-values.py.
//
// Copyright 2026 The Horde Studio authors
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Horde from 'gi://Horde?version=1.0';

import { assert, run } from './harness.js';

Gio._promisify(Horde.Client.prototype, 'send_all_workers_details_request_async',
    'send_all_workers_details_request_finish');
Gio._promisify(Horde.Client.prototype, 'send_image_generate_async_request_async',
    'send_image_generate_async_request_finish');
Gio._promisify(Horde.ModelReference.prototype, 'load_async', 'load_finish');

const ENUMS = [Horde.Sampler, Horde.PostProcessor, Horde.AlchemyForm, Horde.SourceProcessing,
    Horde.ModelState, Horde.WorkerType, Horde.Rc, Horde.WarningCode];

async function testNames() {
    assert(Horde.Sampler.to_string(Horde.Sampler.K_EULER) === 'k_euler', 'K_EULER is k_euler');
    assert(Horde.Sampler.from_string('k_dpmpp_2s_a') === Horde.Sampler.K_DPMPP_2S_A, 'k_dpmpp_2s_a');
    assert(Horde.PostProcessor.to_string(Horde.PostProcessor['4X_ANIMESHARP']) === '4x_AnimeSharp', '4x_AnimeSharp');
    assert(Horde.PostProcessor.to_string(Horde.PostProcessor.GFPGANV1_3) === 'GFPGANv1.3', 'GFPGANv1.3');
    assert(Horde.Rc.to_string(Horde.Rc.KUDOSUPFRONT) === 'KudosUpfront', 'KudosUpfront');
    assert(Horde.WarningCode.from_string('StepsTooFew') === Horde.WarningCode.STEPSTOOFEW, 'StepsTooFew');
    assert(Horde.ModelState.to_string(Horde.ModelState.CUSTOM) === 'custom', 'custom');
    assert(Horde.Sampler.UNKNOWN === 0 && Horde.Sampler.to_string(Horde.Sampler.UNKNOWN) === null, 'UNKNOWN');

    // every constant: its wire string converts back, and is its GType nick
    for (const enumType of ENUMS) {
        const gtype = enumType.$gtype;
        assert(GObject.type_is_a(gtype, GObject.TYPE_ENUM), `${gtype} is a GEnum`);
        let n = 0;
        for (const [name, value] of Object.entries(enumType)) {
            if (typeof value !== 'number' || !/^[0-9A-Z_]+$/.test(name) || value === 0)
                continue;
            const wire = enumType.to_string(value);
            assert(wire !== null, `${name} has a wire string`);
            assert(enumType.from_string(wire) === value, `${wire} converts back`);
            assert(name === wire.replace(/[^A-Za-z0-9_]/g, '_').toUpperCase(), `${name} is named after ${wire}`);
            n++;
        }
        assert(n > 0, `${gtype} has values`);
        assert(enumType.from_string('NoSuchValueInThisBuild') === 0, 'an unknown string is UNKNOWN');
    }
    print('ok 1 - constants and their wire strings');
}

async function testAccessors() {
    const builder = Horde.ModelGenerationInputStableBuilder.new();
    builder.set_sampler_name_enum(Horde.Sampler.LCM);
    builder.set_post_processing_enum([Horde.PostProcessor.CODEFORMERS, Horde.PostProcessor.REALESRGAN_X2PLUS]);
    const params = builder.end();
    const body = JSON.parse(params.to_json());
    assert(body.sampler_name === 'lcm', `sampler_name on the wire, got ${body.sampler_name}`);
    assert(JSON.stringify(body.post_processing) === '["CodeFormers","RealESRGAN_x2plus"]',
        `post_processing on the wire, got ${body.post_processing}`);
    assert(params.get_sampler_name_enum() === Horde.Sampler.LCM, 'typed getter');

    const newer = Horde.ModelGenerationInputStable.new_from_json('{"sampler_name": "k_tomorrow"}', -1);
    assert(newer.get_sampler_name() === 'k_tomorrow', 'the string is kept');
    assert(newer.get_sampler_name_enum() === Horde.Sampler.UNKNOWN, 'typed: UNKNOWN');
    print('ok 2 - typed accessors: the wire string on the wire, unknown values kept');
}

async function testSim(client) {
    const request = Horde.AllWorkersDetailsRequestBuilder.new();
    request.set_kind_enum(Horde.WorkerType.INTERROGATION);
    const workers = await client.send_all_workers_details_request_async(request.end(), null);
    const kinds = new Set(workers.get_items().map(w => w.get_kind_enum()));
    assert(kinds.size === 1 && kinds.has(Horde.WorkerType.INTERROGATION), `alchemists only, got ${[...kinds]}`);
    print('ok 3 - horde-sim\'s workers read as typed values, a typed filter sent');
}

async function testHandWritten(client, url) {
    // an error's rc: anonymous, 1024×1024 at 100 steps wants kudos upfront
    const params = Horde.ModelGenerationInputStableBuilder.new();
    params.set_width(1024);
    params.set_height(1024);
    params.set_steps(100);
    const builder = Horde.ImageGenerateAsyncRequestBuilder.new();
    builder.set_prompt('a castle');
    builder.set_params(params.end());
    let error = null;
    try {
        await client.send_image_generate_async_request_async(builder.end(), null);
    } catch (e) {
        error = e;
    }
    assert(error instanceof GLib.Error, `an anonymous 100-step request fails, got ${error}`);
    assert(Horde.Error.get_rc_enum(error) === Horde.Rc.KUDOSUPFRONT, `rc, got ${Horde.Error.get_rc_enum(error)}`);

    // a model's samplers, from the reference horde-sim serves
    const root = url.slice(0, -'/api'.length);
    const cacheDir = GLib.dir_make_tmp('horde-known-values-js-XXXXXX');
    const reference = new Horde.ModelReference({
        image_url: `${root}/model-reference/image.json`,
        text_url: `${root}/model-reference/text.json`,
        cache_dir: cacheDir,
    });
    try {
        await reference.load_async(Horde.ModelReferenceFlags.IMAGE, null);
        const flux = reference.lookup_image('Flux.1-Schnell fp8 (Compact)');
        const samplers = flux.get_samplers_enum();
        assert(samplers.length === 1 && samplers[0] === Horde.Sampler.K_EULER, `Flux's samplers, got ${samplers}`);
        assert(reference.lookup_image('AlbedoBase XL (SDXL)').get_samplers_enum().length === 0, 'any sampler');
    } finally {
        const dir = Gio.File.new_for_path(cacheDir);
        const children = dir.enumerate_children('standard::name', Gio.FileQueryInfoFlags.NONE, null);
        for (let info; (info = children.next_file(null)) !== null;)
            dir.get_child(info.get_name()).delete(null);
        dir.delete(null);
    }

    // an alchemy result's form
    const forms = [Horde.AlchemyForm.NSFW, Horde.AlchemyForm.CODEFORMERS].map(value => {
        const form = Horde.ModelInterrogationFormStableBuilder.new();
        form.set_name_enum(value);
        return form.end();
    });
    const alchemy = Horde.AlchemyAsyncRequestBuilder.new();
    alchemy.set_forms(forms);
    alchemy.set_source_image('https://example.invalid/source.webp');
    const job = Horde.AlchemyJob.new(client, alchemy.end());
    await job.run_async(null);
    const results = job.get_results();
    const got = [0, 1].map(i => results.get_item(i));
    assert(got.map(r => r.get_form()).join() === 'nsfw,CodeFormers', `forms, got ${got.map(r => r.get_form())}`);
    assert(got[0].get_form_enum() === Horde.AlchemyForm.NSFW && got[1].get_form_enum() === Horde.AlchemyForm.CODEFORMERS,
        `typed forms, got ${got.map(r => r.get_form_enum())}`);
    print('ok 4 - typed twins of the hand-written API: rc, samplers, alchemy forms');
}

run(['--alchemy-workers', '1', '--job-time', '200'], 60, [testNames, testAccessors, testSim, testHandWritten]);
