#!/usr/bin/python3
# run-example.py: run one example program against a horde-sim of its own
# and check what it did.
#
#   run-example.py NAME COMMAND [ARG…]
#
# NAME is the example (getting-started, generate-images, list-models, find-user, estimate,
# cancel-job), or one of the runs of image-worker (image-worker,
# image-worker-base64, image-worker-faulted, image-worker-interrupted);
# COMMAND runs it: the C program, or an interpreter and the
# script. The simulator is $HORDE_SIM, started on 127.0.0.1 with a free
# port and a registered user; the example gets AI_HORDE_URL and
# AI_HORDE_API_KEY, as a user would set them. The checks compare what the
# example printed and left behind with what the simulator says happened.
# Python standard library only.
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import base64
import ctypes
import hashlib
import http.server
import json
import os
import re
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

# The registered user of the simulator, as find-user must report it
USER = {'key': 'docs-examples-key-2026', 'username': 'Ada', 'id': 4242, 'kudos': 1234}
UNKNOWN_KEY = 'not-a-registered-key00'

# What generate-images, estimate and cancel-job send
PROMPT = 'a lighthouse at dusk, oil painting'
IMAGE_PARAMS = {'width': 512, 'height': 512, 'steps': 20, 'sampler_name': 'k_euler_a', 'n': 2}

# The owner of image-worker: a registered user with no kudos yet, and what
# the requester (USER) asks of the worker
WORKER = {'key': 'docs-worker-key-2026-x', 'username': 'Grace', 'id': 4343, 'kudos': 0}
WORKER_NAME = 'docs-worker'
WORKER_PROMPT = 'a red fox in the snow'
WORKER_PARAMS = {'width': 576, 'height': 384, 'n': 1}
# a fifth of a second between empty pops, not the two seconds of a real worker
WORKER_ARGS = ['--name', WORKER_NAME, '--interval', '0.2']

EXAMPLE_TIMEOUT = 60


class Failure(Exception):
    pass


def check(condition, what):
    if not condition:
        raise Failure(what)


# ---- the simulator ----------------------------------------------------

def die_with_parent():
    # the simulator must not outlive a runner that meson killed
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Sim:
    def __init__(self, tmp, *args, users=(USER,)):
        users_path = os.path.join(tmp, 'users.json')
        with open(users_path, 'w') as f:
            json.dump(list(users), f)
        self.log_path = os.path.join(tmp, 'horde-sim.log')
        self.log = open(self.log_path, 'w')
        self.process = subprocess.Popen(
            [os.environ['HORDE_SIM'], '--port', '0', '--seed', '1', '--users', users_path, *args],
            stdout=subprocess.PIPE, stderr=self.log, text=True, preexec_fn=die_with_parent)
        self.url = self.process.stdout.readline().strip()
        check(re.fullmatch(r'http://127\.0\.0\.1:\d+/api', self.url),
              'horde-sim printed %r, not its base URL' % self.url)
        self.root = self.url[:-len('/api')]

    def call(self, method, path, body=None, key=None, retry=True):
        """One HTTP request to the simulator; the JSON answer, or
        (status, JSON) for an error answer. Rate limits are waited out."""
        url = (self.url if path.startswith('/v2') else self.root) + path
        data = json.dumps(body).encode() if body is not None else None
        headers = {'Content-Type': 'application/json'} if data else {}
        if key:
            headers['apikey'] = key
        for _ in range(10):
            request = urllib.request.Request(url, data=data, method=method, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=10) as answer:
                    return json.load(answer)
            except urllib.error.HTTPError as e:
                if e.code == 429 and retry:
                    time.sleep(1.1)
                    continue
                return e.code, json.load(e)
        raise Failure('%s %s: still rate limited' % (method, path))

    def stats(self):
        return self.call('GET', '/_sim/stats')

    def stop(self):
        self.process.terminate()
        status = self.process.wait(timeout=10)
        self.log.close()
        check(status == 0, 'horde-sim exited with status %d' % status)

    def log_tail(self, lines=20):
        with open(self.log_path) as f:
            return ''.join(f.readlines()[-lines:])


# ---- running an example -------------------------------------------------

class Run:
    def __init__(self, command, sim, *args, key=USER['key'], url=None):
        env = dict(os.environ, AI_HORDE_URL=url or sim.url, AI_HORDE_API_KEY=key)
        self.command = [*command, *args]
        started = time.monotonic()
        try:
            done = subprocess.run(self.command, env=env, capture_output=True, text=True,
                                  timeout=EXAMPLE_TIMEOUT)
        except subprocess.TimeoutExpired as e:
            raise Failure('%s did not end within %d s; it printed:\n%s\n%s'
                          % (' '.join(self.command), EXAMPLE_TIMEOUT, e.stdout, e.stderr))
        self.seconds = time.monotonic() - started
        self.status = done.returncode
        self.stdout = done.stdout
        self.stderr = done.stderr

    def describe(self):
        return ('$ %s\nexit status %d\n--- stdout\n%s--- stderr\n%s---'
                % (' '.join(self.command), self.status, self.stdout, self.stderr))

    def expect_success(self, quiet=True):
        check(self.status == 0, 'exit status %d, expected 0' % self.status)
        # no warning, critical or sanitizer report either
        if quiet:
            check(self.stderr == '', 'the example wrote on stderr')

    def line(self, pattern):
        """The groups of the first stdout line that matches @pattern"""
        for line in self.stdout.splitlines():
            match = re.fullmatch(pattern, line)
            if match:
                return match.groups()
        raise Failure('no line of the output matches %r' % pattern)


def image_size(data):
    """(format, width, height) of a WebP or PNG file, or None"""
    if data[:8] == b'\x89PNG\r\n\x1a\n' and data[12:16] == b'IHDR':
        return ('png', *struct.unpack('>II', data[16:24]))
    if data[:4] != b'RIFF' or data[8:12] != b'WEBP':
        return None
    check(struct.unpack('<I', data[4:8])[0] + 8 == len(data), 'a WebP file of the wrong length')
    chunk = data[12:16]
    if chunk == b'VP8 ' and data[23:26] == b'\x9d\x01\x2a':
        width, height = struct.unpack('<HH', data[26:30])
        return ('webp', width & 0x3fff, height & 0x3fff)
    if chunk == b'VP8L' and data[20] == 0x2f:
        bits = int.from_bytes(data[21:25], 'little')
        return ('webp', (bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1)
    if chunk == b'VP8X':
        return ('webp', int.from_bytes(data[24:27], 'little') + 1, int.from_bytes(data[27:30], 'little') + 1)
    return None


# ---- the examples ----------------------------------------------------------

def find_user(command, tmp):
    sim = Sim(tmp)
    try:
        run = Run(command, sim)
        print(run.describe())
        run.expect_success()
        check(run.line(r'User:\s+(.+)') == ('%s#%d' % (USER['username'], USER['id']),),
              'the user name is not %s#%d' % (USER['username'], USER['id']))
        check(run.line(r'Id:\s+(\d+)') == (str(USER['id']),), 'the user id is not %d' % USER['id'])
        check(run.line(r'Kudos:\s+(\d+)') == (str(USER['kudos']),), 'the kudos are not %d' % USER['kudos'])

        # a key the server does not know: a failure, told in one line
        bad = Run(command, sim, key=UNKNOWN_KEY)
        print(bad.describe())
        check(bad.status != 0, 'an unknown key ended with exit status 0')
        check(bad.stdout == '', 'an unknown key printed something on stdout')
        lines = bad.stderr.splitlines()
        check(len(lines) == 1 and lines[0].startswith('find-user: '),
              'the error is not one line starting with "find-user: "')
        check('not found' in lines[0], 'the error does not say the user was not found')
        check(sim.stats()['requests']['by_route'].get('GET /api/v2/find_user') == 2,
              'the server did not see two find_user requests')
    finally:
        sim.stop()
    return run.seconds


def list_models(command, tmp):
    sim = Sim(tmp)
    try:
        # work waits in the queue of one model, so that it has a queue and an ETA
        sim.call('POST', '/_sim/control', {'paused': True})
        queued = sim.call('POST', '/v2/generate/async', {
            'prompt': 'queued', 'models': ['Deliberate'], 'params': dict(IMAGE_PARAMS, n=3)}, key=USER['key'])
        check('id' in queued, 'could not queue a request: %r' % (queued,))

        run = Run(command, sim)
        print(run.describe())
        run.expect_success()

        served = sim.call('GET', '/v2/status/models?type=image')
        check(len(served) >= 2, 'the simulator serves fewer than two image models')
        check(any(m['name'] == 'Deliberate' and m['queued'] > 0 and m['eta'] > 0 for m in served),
              'nothing is queued for Deliberate')
        served.sort(key=lambda m: (-m['count'], m['name']))
        expected = [(m['name'], str(m['count']), '%.0f' % m['queued'], str(m['eta'])) for m in served]

        rows = []
        for line in run.stdout.splitlines():
            match = re.fullmatch(r'(\S.*?)\s+(\d+)\s+(\d+)\s+(\d+)s', line)
            if match:
                rows.append(match.groups())
        print('expected rows: %r' % expected)
        check(rows == expected, 'the models, their numbers or their order differ from the server\'s')
        check(run.line(r'(\d+) models') == (str(len(expected)),), 'the count of models is wrong')
    finally:
        sim.stop()
    return run.seconds


def estimate(command, tmp):
    sim = Sim(tmp)
    try:
        run = Run(command, sim)
        print(run.describe())
        run.expect_success()
        (kudos,) = run.line(r'This request would cost (\d+\.\d\d) kudos\.')

        stats = sim.stats()
        check(stats['jobs'] == {}, 'a dry run queued a request')
        check(stats['requests']['by_route'].get('POST /api/v2/generate/async') == 1,
              'the example did not send one POST /v2/generate/async')

        # the price the server gives for the same request
        answer = sim.call('POST', '/v2/generate/async', {
            'prompt': PROMPT, 'models': ['Deliberate'], 'params': IMAGE_PARAMS, 'dry_run': True},
            key=USER['key'])
        print('the server prices it at %r' % (answer,))
        check(answer['kudos'] > 0, 'the server gave no price')
        check(abs(float(kudos) - answer['kudos']) < 0.006,
              'the example said %s kudos, the server says %s' % (kudos, answer['kudos']))
        user = sim.call('GET', '/v2/find_user', key=USER['key'])
        check(user['kudos'] == USER['kudos'], 'a dry run spent kudos')
    finally:
        sim.stop()
    return run.seconds


def generate_images(command, tmp):
    # a second and a half an image: the progress has time to show
    sim = Sim(tmp, '--job-time', '1500')
    directory = os.path.join(tmp, 'images', 'new')   # the example makes it
    try:
        run = Run(command, sim, directory, PROMPT)
        print(run.describe())
        run.expect_success(quiet=False)   # the progress goes to stderr

        jobs = sim.stats()['jobs']
        check(len(jobs) == 1, 'the server saw %d requests, not one' % len(jobs))
        (job_id, job), = jobs.items()
        check(job['finished'] is not None, 'the request did not finish on the server')
        check(job['requests']['status'] == 1, 'the full status was fetched %d times, not once'
              % job['requests']['status'])
        check(job['requests']['delete'] == 0, 'the request was deleted')

        paths = run.stdout.splitlines()
        check(len(paths) == IMAGE_PARAMS['n'], '%d file names printed, not %d' % (len(paths), IMAGE_PARAMS['n']))
        check(sorted(os.listdir(directory)) == sorted(os.path.basename(p) for p in paths),
              'the directory holds other files than those printed')
        for i, path in enumerate(paths):
            check(os.path.dirname(path).rstrip('/') == directory, '%s is not in %s' % (path, directory))
            with open(path, 'rb') as f:
                size = image_size(f.read())
            check(size is not None, '%s is not a WebP or PNG image' % path)
            check(os.path.basename(path) == '%s-%d.%s' % (job_id, i, size[0]),
                  '%s is not named after the request, the position and the format' % path)
            check(size[1:] == (IMAGE_PARAMS['width'], IMAGE_PARAMS['height']),
                  '%s is %dx%d, not 512x512' % (path, *size[1:]))

        progress = run.stderr.splitlines()
        polled = r'(waiting|processing): queue position \d+, about \d+ s left, \d+ finished, \d+ processing, \d+ waiting'
        check(any(re.fullmatch(polled, line) for line in progress), 'no progress line on stderr')
        check(all(re.fullmatch(polled, line) or line in ('submitting', 'waiting', 'processing', 'downloading', 'done')
                  for line in progress), 'stderr holds other lines than progress')
        check(progress[-1] == 'done', 'the last progress line is not "done"')
    finally:
        sim.stop()
    return run.seconds


def cancel_job(command, tmp):
    # no worker: nothing is being made at the cancel, so the job ends with
    # the DELETE (it waits for images being made at a cancel, which the
    # server still finishes and charges)
    sim = Sim(tmp, '--workers', '0', '--job-time', '60000')
    try:
        run = Run(command, sim, PROMPT)
        print(run.describe())
        run.expect_success()
        (job_id,) = run.line(r'Submitted request (\S+)')
        check(run.line(r'Cancelled: the server deleted request (\S+); (\d+) images kept')
              == (job_id, '0'), 'the example did not report the cancel of its request')

        jobs = sim.stats()['jobs']
        check(list(jobs) == [job_id], 'the server saw requests %r, not just %s' % (list(jobs), job_id))
        check(jobs[job_id]['requests']['delete'] == 1, 'the request was not deleted (once) on the server')
        check(jobs[job_id]['finished'] is None, 'the request finished')
        # /status, not the cached /check; like the real server, the DELETE
        # leaves nothing waiting, and what was already rendering goes on (a
        # minute): done only if nothing was
        answer = sim.call('GET', '/v2/generate/status/' + job_id)
        print('the server now says %r' % (answer,))
        check(answer['finished'] == 0 and answer['waiting'] == 0
              and answer['done'] is (answer['processing'] == 0), 'the request still waits on the server')
    finally:
        sim.stop()
    return run.seconds


# ---- getting-started ---------------------------------------------------------

# What horde_sdk's getting-started page asks for
GETTING_STARTED = {'prompt': 'A cat in a hat', 'model': 'Deliberate', 'width': 512, 'height': 768, 'n': 2}


def getting_started(command, tmp):
    # the script saves the first image in the folder it runs in
    command = [os.path.abspath(a) if os.path.exists(a) else a for a in command]
    folder = os.path.join(tmp, 'work')
    os.mkdir(folder)
    sim = Sim(tmp, '--job-time', '300')
    try:
        env = dict(os.environ, AI_HORDE_URL=sim.url, AI_HORDE_API_KEY=USER['key'])
        started = time.monotonic()
        done = subprocess.run(command, env=env, cwd=folder, capture_output=True, text=True,
                              timeout=EXAMPLE_TIMEOUT)
        seconds = time.monotonic() - started
        print('$ %s\nexit status %d\n--- stdout\n%s--- stderr\n%s---'
              % (' '.join(command), done.returncode, done.stdout, done.stderr))
        check(done.returncode == 0 and done.stderr == '', 'the script failed or wrote on stderr')

        # one request, fetched when done, nothing left on the server; the
        # dry run before it queued nothing
        stats = sim.stats()
        check(stats['requests']['by_route'].get('POST /api/v2/generate/async') == 2,
              'the script did not send a dry run and a request')
        jobs = stats['jobs']
        check(len(jobs) == 1, 'the server saw %d requests, not one' % len(jobs))
        (job_id, job), = jobs.items()
        check(job['finished'] is not None and job['requests']['status'] > 0
              and job['requests']['delete'] == 0, 'the request was not fetched once done')
        generations = sim.call('GET', '/v2/generate/status/' + job_id).get('generations', [])
        check(len(generations) == GETTING_STARTED['n']
              and all(g['model'] == GETTING_STARTED['model'] for g in generations),
              'not %d images of %s' % (GETTING_STARTED['n'], GETTING_STARTED['model']))

        # the first image, as the server sent it, and its name printed
        check(os.listdir(folder) == ['cat-in-a-hat.webp'], 'the folder holds %r' % os.listdir(folder))
        check(done.stdout == 'cat-in-a-hat.webp\n', 'the script did not print the file name')
        with open(os.path.join(folder, 'cat-in-a-hat.webp'), 'rb') as f:
            data = f.read()
        check(image_size(data) == ('webp', GETTING_STARTED['width'], GETTING_STARTED['height']),
              'the file is not a %dx%d WebP image' % (GETTING_STARTED['width'], GETTING_STARTED['height']))
    finally:
        sim.stop()

    # Ctrl+C while the request waits (no worker takes it up): the request
    # is deleted before the script ends, as Python ends on SIGINT
    folder = os.path.join(tmp, 'interrupted')
    os.mkdir(folder)
    sim = Sim(tmp, '--workers', '0')
    try:
        env = dict(os.environ, AI_HORDE_URL=sim.url, AI_HORDE_API_KEY=USER['key'])
        child = subprocess.Popen(command, env=env, cwd=folder, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + EXAMPLE_TIMEOUT
            while not any(j['requests']['check'] > 0 for j in sim.stats()['jobs'].values()):
                check(child.poll() is None, 'the script ended before its request was queued')
                check(time.monotonic() < deadline, 'the script did not poll its request')
                time.sleep(0.1)
            child.send_signal(signal.SIGINT)
            out, err = child.communicate(timeout=EXAMPLE_TIMEOUT)
        finally:
            if child.poll() is None:
                child.kill()
                child.communicate()
        print('$ %s # SIGINT\nexit status %d\n--- stdout\n%s--- stderr\n%s---'
              % (' '.join(command), child.returncode, out, err))
        check(child.returncode == -signal.SIGINT and 'KeyboardInterrupt' in err,
              'the script did not end by KeyboardInterrupt')
        check(out == '' and os.listdir(folder) == [], 'the script saved or printed something')
        jobs = sim.stats()['jobs']
        check(len(jobs) == 1 and all(j['requests']['delete'] == 1 for j in jobs.values()),
              'the request was not deleted once')
    finally:
        sim.stop()
    return seconds


# ---- image-worker ------------------------------------------------------------

def worker_sim(tmp):
    # no simulated workers: the example is the only one that serves; its
    # bridge agent is made one the server gives r2 requests to, and /check
    # is read right after each run, so without the server's 1 s cache
    return Sim(tmp, '--workers', '0', '--text-workers', '0', '--alchemy-workers', '0',
               '--r2-bridge-agent', 'libhorde image-worker example', '--check-cache', '0',
               users=(USER, WORKER))


def queue_for_worker(sim):
    """The requester's image request, for the worker's model; its id. It
    is one the real Horde gives the worker: safe for work (the worker pops
    with nsfw false, and the server takes a request without nsfw as NSFW)
    and r2 false (the server gives r2 requests only to bridges it knows can
    upload to R2)."""
    answer = sim.call('POST', '/v2/generate/async', {
        'prompt': WORKER_PROMPT, 'models': ['stable_diffusion'], 'params': WORKER_PARAMS,
        'nsfw': False, 'r2': False}, key=USER['key'])
    check(isinstance(answer, dict) and 'id' in answer, 'could not queue a request: %r' % (answer,))
    return answer['id']


def worker_stats(sim):
    return sim.stats()['external_workers']['image']


def expect_worker_stats(sim, **expected):
    stats = worker_stats(sim)
    print('the server counted %r' % (stats,))
    for name, value in expected.items():
        check(stats[name] == value, 'the server counted %d %s, not %d' % (stats[name], name, value))


def user_kudos(sim, user):
    return sim.call('GET', '/v2/find_user', key=user['key'])['kudos']


def prompt_colour(prompt):
    """The colour image-worker draws for @prompt (FNV-1a of its bytes)"""
    h = 2166136261
    for byte in prompt.encode():
        h = ((h ^ byte) * 16777619) & 0xffffffff
    return tuple(64 + (h >> shift & 0xff) % 192 for shift in (16, 8, 0))


def share_of_colour(data, colour):
    """The share of the pixels of the WebP @data near @colour, decoded with
    libwebp; None when libwebp cannot be loaded"""
    try:
        libwebp = ctypes.CDLL('libwebp.so.7')
    except OSError:
        return None
    libwebp.WebPDecodeRGB.restype = ctypes.POINTER(ctypes.c_uint8)
    width, height = ctypes.c_int(), ctypes.c_int()
    pixels = libwebp.WebPDecodeRGB(data, ctypes.c_size_t(len(data)), ctypes.byref(width), ctypes.byref(height))
    check(bool(pixels), 'libwebp cannot decode the image')
    try:
        rgb = ctypes.string_at(pixels, width.value * height.value * 3)
    finally:
        libwebp.WebPFree(pixels)
    near = sum(1 for i in range(0, len(rgb), 3)
               if all(abs(rgb[i + c] - colour[c]) <= 16 for c in range(3)))
    return near / (width.value * height.value)


def popped_job(run):
    """(job id, width, height, prompt, seed, model) of the worker's job line"""
    return run.line(r'Job (\S+): (\d+)x(\d+) of "(.*)", seed (\d+), model (\S+), \d+ s to submit it')


def generation_image(generation):
    """The bytes of a finished generation: a request with r2 false gets
    them in base64 (the real server re-encodes what the worker put on R2),
    one with r2 true at a download URL"""
    if generation['img'].startswith('http'):
        with urllib.request.urlopen(generation['img'], timeout=10) as answer:
            return answer.read()
    return base64.b64decode(generation['img'])


def check_requeued(sim, request_id):
    answer = sim.call('GET', '/v2/generate/check/' + request_id)
    print('the server now says %r' % (answer,))
    check(answer['restarted'] == 1, 'the request was not restarted once')
    check(answer['waiting'] == 1 and answer['processing'] == 0 and answer['finished'] == 0,
          'the job is not back in the queue')
    check(answer['done'] is False and answer['faulted'] is False, 'the request ended')


class NoR2Proxy:
    """A Horde whose pops give no r2_upload URL: the simulator behind an
    HTTP proxy on 127.0.0.1 that takes r2_upload and r2_uploads out of the
    answers to POST /api/v2/generate/pop and passes all else through. A
    worker then has to submit its image in base64."""

    def __init__(self, sim):
        target = sim.root
        self.pops = 0
        self.stripped = 0
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def forward(self):
                length = int(self.headers.get('Content-Length') or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ('host', 'content-length', 'connection', 'accept-encoding')}
                request = urllib.request.Request(target + self.path, data=body, method=self.command,
                                                 headers=headers)
                try:
                    with urllib.request.urlopen(request, timeout=30) as answer:
                        status, reply_headers, data = answer.status, answer.headers, answer.read()
                except urllib.error.HTTPError as e:
                    status, reply_headers, data = e.code, e.headers, e.read()
                if self.command == 'POST' and self.path == '/api/v2/generate/pop' and status == 200:
                    pop = json.loads(data)
                    proxy.pops += 1
                    if pop.get('r2_upload'):
                        proxy.stripped += 1
                    pop.pop('r2_upload', None)
                    pop['r2_uploads'] = None
                    data = json.dumps(pop).encode()
                self.send_response(status)
                for k, v in reply_headers.items():
                    if k.lower() not in ('content-length', 'transfer-encoding', 'connection', 'date', 'server'):
                        self.send_header(k, v)
                self.send_header('Content-Length', str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = forward

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.url = 'http://127.0.0.1:%d/api' % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def image_worker(command, tmp):
    sim = worker_sim(tmp)
    try:
        request_id = queue_for_worker(sim)
        run = Run(command, sim, '--jobs', '1', *WORKER_ARGS, key=WORKER['key'])
        print(run.describe())
        run.expect_success()

        job_id, width, height, prompt, seed, model = popped_job(run)
        check((int(width), int(height)) == (WORKER_PARAMS['width'], WORKER_PARAMS['height']),
              'the worker was not asked for a %dx%d image' % (WORKER_PARAMS['width'], WORKER_PARAMS['height']))
        check(prompt == WORKER_PROMPT and model == 'stable_diffusion', 'the job is not the request\'s')
        colour, size, checksum = run.line(
            r'Job %s: drew a %sx%s image of colour #([0-9a-f]{6}), (\d+) bytes of WebP, sha256 ([0-9a-f]{64})'
            % (job_id, width, height))
        check(tuple(bytes.fromhex(colour)) == prompt_colour(WORKER_PROMPT), 'the colour is not the prompt\'s')
        run.line(r'Job %s: uploaded' % job_id)
        (reward,) = run.line(r'Job %s: submitted, (\d+\.\d\d) kudos earned' % job_id)
        run.line(r'Jobs served: 1, given back: 0; %s kudos earned' % re.escape(reward))

        # the request finished with the worker's image
        status = sim.call('GET', '/v2/generate/status/' + request_id)
        check(status['done'] is True and status['faulted'] is False and status['finished'] == 1,
              'the request did not finish: %r' % (status,))
        (generation,) = status['generations']
        check(generation['id'] == job_id and generation['worker_name'] == WORKER_NAME,
              'the generation is not the worker\'s job')
        check(generation['seed'] == seed and generation['state'] == 'ok', 'the generation has another seed or state')
        image = generation_image(generation)
        check(hashlib.sha256(image).hexdigest() == checksum and len(image) == int(size),
              'the requester got other bytes than the worker drew')
        check(image_size(image) == ('webp', WORKER_PARAMS['width'], WORKER_PARAMS['height']),
              'the image is not a %dx%d WebP' % (WORKER_PARAMS['width'], WORKER_PARAMS['height']))
        share = share_of_colour(image, prompt_colour(WORKER_PROMPT))
        print('%s of the pixels have the prompt\'s colour' % share)
        # three quarters of the image, between the stripes
        check(share is None or share > 0.6, 'the image does not have the prompt\'s colour')

        expect_worker_stats(sim, workers=1, pops=1, jobs=1, uploads=1, submits=1, faulted=0, rejected=0,
                            rejected_uploads=0, aborted=0)
        kudos = user_kudos(sim, WORKER)
        print('the worker\'s user has %s kudos' % kudos)
        check(kudos > WORKER['kudos'] and abs(kudos - WORKER['kudos'] - float(reward)) < 0.01,
              'the worker\'s user did not get the %s kudos of the job' % reward)
    finally:
        sim.stop()
    return run.seconds


def image_worker_base64(command, tmp):
    """A pop without r2_upload: the worker submits the image in base64"""
    sim = worker_sim(tmp)
    proxy = NoR2Proxy(sim)
    try:
        request_id = queue_for_worker(sim)
        run = Run(command, sim, '--jobs', '1', *WORKER_ARGS, key=WORKER['key'], url=proxy.url)
        print(run.describe())
        run.expect_success()
        check(proxy.stripped == 1, 'the proxy took no r2_upload out of a pop')

        job_id, width, height, prompt, seed, model = popped_job(run)
        _, size, checksum = run.line(
            r'Job %s: drew a %sx%s image of colour #([0-9a-f]{6}), (\d+) bytes of WebP, sha256 ([0-9a-f]{64})'
            % (job_id, width, height))
        run.line(r'Job %s: no r2_upload URL: the image goes in the submit, in base64' % job_id)
        check(not any(line == 'Job %s: uploaded' % job_id for line in run.stdout.splitlines()),
              'the worker uploaded with no URL to upload to')
        (reward,) = run.line(r'Job %s: submitted, (\d+\.\d\d) kudos earned' % job_id)
        run.line(r'Jobs served: 1, given back: 0; %s kudos earned' % re.escape(reward))

        # no upload reached the server, one submit did, and the requester
        # gets the very bytes the worker drew
        expect_worker_stats(sim, workers=1, pops=1, jobs=1, uploads=0, submits=1, faulted=0, rejected=0,
                            rejected_uploads=0, aborted=0)
        status = sim.call('GET', '/v2/generate/status/' + request_id)
        check(status['done'] is True and status['faulted'] is False and status['finished'] == 1,
              'the request did not finish: %r' % (status,))
        (generation,) = status['generations']
        check(generation['id'] == job_id and generation['state'] == 'ok', 'the generation is not the worker\'s job')
        image = generation_image(generation)
        check(hashlib.sha256(image).hexdigest() == checksum and len(image) == int(size),
              'the requester got other bytes than the worker drew')
        check(user_kudos(sim, WORKER) > WORKER['kudos'], 'the worker\'s user earned nothing')
    finally:
        proxy.stop()
        sim.stop()
    return run.seconds


def image_worker_faulted(command, tmp):
    sim = worker_sim(tmp)
    try:
        request_id = queue_for_worker(sim)
        run = Run(command, sim, '--jobs', '1', '--fail-after-pop', *WORKER_ARGS, key=WORKER['key'])
        print(run.describe())
        run.expect_success(quiet=False)   # the failure goes to stderr
        check('simulated failure' in run.stderr, 'the worker did not report its failure')
        (job_id, *_) = popped_job(run)
        run.line(r'Job %s: giving it back \(submitted as faulted\)' % job_id)
        run.line(r'Job %s: back in the queue, for another worker' % job_id)
        run.line(r'Jobs served: 0, given back: 1; 0\.00 kudos earned')

        # the job was handed back at once: the request waits for another worker
        expect_worker_stats(sim, pops=1, jobs=1, uploads=0, submits=0, faulted=1, rejected=0, aborted=0)
        check_requeued(sim, request_id)
        check(user_kudos(sim, WORKER) == WORKER['kudos'], 'a faulted job earned kudos')

        # and the next worker (here, the same one) serves it
        second = Run(command, sim, '--jobs', '1', *WORKER_ARGS, key=WORKER['key'])
        print(second.describe())
        second.expect_success()
        (second_job, *_) = popped_job(second)
        check(second_job != job_id, 'the second run got the same job id')
        expect_worker_stats(sim, pops=2, jobs=2, uploads=1, submits=1, faulted=1, rejected=0, aborted=0)
        status = sim.call('GET', '/v2/generate/check/' + request_id)
        check(status['done'] is True and status['finished'] == 1 and status['faulted'] is False,
              'the request did not finish after the second run: %r' % (status,))
    finally:
        sim.stop()
    return run.seconds


def image_worker_interrupted(command, tmp):
    sim = worker_sim(tmp)
    lines = []
    try:
        request_id = queue_for_worker(sim)
        # a minute to "generate" the image: SIGTERM arrives while the worker holds the job
        env = dict(os.environ, AI_HORDE_URL=sim.url, AI_HORDE_API_KEY=WORKER['key'])
        started = time.monotonic()
        worker = subprocess.Popen([*command, '--generate-time', '60000', *WORKER_ARGS], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            # the worker writes its log a line at a time: wait for the drawing
            for line in worker.stdout:
                lines.append(line)
                if ' drew a ' in line:
                    break
            check(any(' drew a ' in line for line in lines), 'the worker did not draw: %r' % lines)
            expect_worker_stats(sim, pops=1, jobs=1, uploads=0, submits=0, faulted=0)
            worker.send_signal(signal.SIGTERM)
            out, err = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            out, err = worker.communicate()
            raise Failure('the worker did not stop within 20 s of SIGTERM:\n%s%s\n%s' % (''.join(lines), out, err))
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
        seconds = time.monotonic() - started
        output = ''.join(lines) + out
        print('$ %s (SIGTERM after the drawing)\nexit status %d\n--- stdout\n%s--- stderr\n%s---'
              % (' '.join(command), worker.returncode, output, err))
        check(worker.returncode == 0, 'exit status %d, expected 0' % worker.returncode)
        check(seconds < 30, 'the worker took %.1f s to stop' % seconds)
        job_id = re.search(r'^Job (\S+):', output, re.M).group(1)
        for expected in ('Stopping', 'Job %s: giving it back (submitted as faulted)' % job_id,
                         'Job %s: back in the queue, for another worker' % job_id,
                         'Jobs served: 0, given back: 1; 0.00 kudos earned'):
            check(expected in output.splitlines(), 'the worker did not print %r' % expected)
        check('interrupted' in err, 'the worker did not say why it gave the job back')

        expect_worker_stats(sim, pops=1, jobs=1, uploads=0, submits=0, faulted=1, rejected=0, aborted=0)
        check_requeued(sim, request_id)
    finally:
        sim.stop()
    return seconds


EXAMPLES = {
    'getting-started': getting_started,
    'generate-images': generate_images,
    'list-models': list_models,
    'find-user': find_user,
    'estimate': estimate,
    'cancel-job': cancel_job,
    'image-worker': image_worker,
    'image-worker-base64': image_worker_base64,
    'image-worker-faulted': image_worker_faulted,
    'image-worker-interrupted': image_worker_interrupted,
}


def main(argv):
    if len(argv) < 3 or argv[1] not in EXAMPLES:
        print('usage: run-example.py {%s} COMMAND [ARG…]' % ','.join(EXAMPLES), file=sys.stderr)
        return 2
    # meson stops a test that runs too long with SIGTERM: stop the simulator too
    signal.signal(signal.SIGTERM, lambda *_: sys.exit('run-example.py: terminated'))

    with tempfile.TemporaryDirectory(prefix='horde-example-') as tmp:
        try:
            seconds = EXAMPLES[argv[1]](argv[2:], tmp)
        except Failure as e:
            print('FAIL: %s: %s' % (argv[1], e))
            log = os.path.join(tmp, 'horde-sim.log')
            if os.path.exists(log):
                with open(log) as f:
                    print('--- horde-sim log (end)\n' + ''.join(f.readlines()[-20:]))
            return 1
    print('ok: %s ran in %.2f s' % (argv[1], seconds))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
