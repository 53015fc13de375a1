#!/usr/bin/python3
# test-alchemy-job.py: the alchemy job from Python through GObject
# introspection, against horde-sim: forms in, typed results out.
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import base64
import os
import subprocess
import sys

import gi
gi.require_version('Horde', '1.0')
gi.require_version('GdkPixbuf', '2.0')
from gi.repository import GdkPixbuf, Horde  # noqa: E402


def start_sim(*args):
    sim = subprocess.Popen([os.environ['HORDE_SIM'], '--port', '0', *args],
                           stdout=subprocess.PIPE, text=True)
    url = sim.stdout.readline().strip()
    assert url.startswith('http://127.0.0.1:') and url.endswith('/api'), url
    return sim, url


def stop_sim(sim):
    sim.terminate()
    assert sim.wait(timeout=10) == 0


def source_image():
    pixbuf = GdkPixbuf.Pixbuf.new(GdkPixbuf.Colorspace.RGB, False, 8, 64, 48)
    pixbuf.fill(0x3366ccff)
    ok, png = pixbuf.save_to_bufferv('png', [], [])
    assert ok
    return base64.b64encode(png).decode('ascii')


def request(*names):
    forms = []
    for name in names:
        form = Horde.ModelInterrogationFormStableBuilder.new()
        form.set_name(name)
        forms.append(form.end())
    builder = Horde.AlchemyAsyncRequestBuilder.new()
    builder.set_forms(forms)
    builder.set_source_image(source_image())
    return builder.end()


def test_job(client):
    job = Horde.AlchemyJob.new(client, request('caption', 'interrogation', 'nsfw', 'RealESRGAN_x2plus'))
    assert isinstance(job, Horde.Job)
    assert job.run_sync(None)
    assert job.get_state() == Horde.JobState.DONE, job.get_state()
    assert job.props.finished == 4

    results = list(job.get_results())
    assert [r.get_form() for r in results] == ['caption', 'interrogation', 'nsfw', 'RealESRGAN_x2plus']
    caption, interrogation, nsfw, upscale = results
    assert caption.get_caption()
    assert interrogation.dup_tags()
    assert nsfw.has_nsfw() and nsfw.get_nsfw() in (True, False)
    image = upscale.get_image()
    assert image is not None and image.get_pixbuf().get_width() > 64
    print('ok 1 - alchemy job: caption %r, %d tags, nsfw %s, %dx%d image'
          % (caption.get_caption(), len(interrogation.dup_tags()), nsfw.get_nsfw(),
             image.get_pixbuf().get_width(), image.get_pixbuf().get_height()))


def main():
    print('1..1')
    sim, url = start_sim('--job-time', '1000')
    try:
        client = Horde.Client.new()
        client.set_base_url(url)
        test_job(client)
    finally:
        stop_sim(sim)
    return 0


if __name__ == '__main__':
    sys.exit(main())
