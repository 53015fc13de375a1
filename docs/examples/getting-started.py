#!/usr/bin/python3
# getting-started.py: horde_sdk's "Getting Started" page, in Python
#
# A placeholder until the Python override's keyword constructors and
# client.image_generate_request() land (their getting-started.py replaces
# this one). Asks for two 512×768 images of a cat in a hat and saves the
# first one in the current folder (cat-in-a-hat.webp); on an exception,
# Ctrl+C or SIGTERM the request is deleted on the server. The server and
# the key come from $AI_HORDE_URL and $AI_HORDE_API_KEY (default: the
# public AI Horde and the anonymous key). The README's Python
# getting-started is this file.
#
#   ./getting-started.py
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import gi
gi.require_version('Horde', '1.0')
from gi.repository import Horde  # noqa: E402

client = Horde.Client.new()   # AIHordeAPISimpleClient()

# ImageGenerationInputPayload(width=512, height=768, ...)
params = Horde.ModelGenerationInputStableBuilder.new()
params.set_width(512)
params.set_height(768)
params.set_sampler_name_enum(Horde.Sampler.K_EULER_A)
params.set_clip_skip(1)
params.set_n(2)
# ImageGenerateAsyncRequest(prompt=..., models=..., params=...); the key is the client's
builder = Horde.ImageGenerateAsyncRequestBuilder.new()
builder.set_prompt('A cat in a hat')
builder.set_models(['Deliberate'])
builder.set_params(params.end())
builder.set_nsfw(False)   # left out, the Horde takes nsfw as true
request = builder.end()

# ImageGenerateAsyncRequest.get_success_response_type()
assert request.get_success_response_type() == Horde.RequestAsync.__gtype__

# simple_client.image_generate_request(): on any exit from the block (an
# exception, Ctrl+C, SIGTERM) the request is deleted
with Horde.Session(client):
    job = Horde.ImageJob.new(client, request)
    job.run_sync(None)

# the first image, as the server sent it (WebP)
image = job.get_images().get_item(0)
path = 'cat-in-a-hat.' + image.get_extension()
image.save(path)
print(path)
