#!/usr/bin/env python3
# test-reference.py: the built API reference holds what a reader needs:
# the index, each content page of libhorde.toml with its title and text, the
# pages of the main types, a Devhelp book and a search index; and the
# links of the index and of the content pages lead somewhere.
#
#   test-reference.py DOCS_DIR LIBHORDE_TOML CONTENT_DIR
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import html.parser
import os
import re
import sys
import tomllib
import urllib.parse


class Page(html.parser.HTMLParser):
    """The text, the title, the headings and the links of one HTML page."""

    def __init__(self, path):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.title = ''
        self.headings = []
        self.text = []
        self._in = []
        with open(path, encoding='utf-8') as f:
            self.feed(f.read())
        self.text = ' '.join(' '.join(self.text).split())

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == 'a' and attrs.get('href'):
            self.links.append(attrs['href'])
        if tag in ('title', 'h1', 'h2', 'h3', 'script', 'style'):
            self._in.append((tag, []))

    def handle_endtag(self, tag):
        if self._in and self._in[-1][0] == tag:
            _, parts = self._in.pop()
            text = ' '.join(''.join(parts).split())
            if tag == 'title':
                self.title = text
            elif tag in ('h1', 'h2', 'h3'):
                self.headings.append(text)

    def handle_data(self, data):
        if self._in:
            if self._in[-1][0] in ('script', 'style'):
                return
            self._in[-1][1].append(data)
        self.text.append(data)


class Test:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, condition, what, detail=''):
        self.n += 1
        if condition:
            print('ok %d - %s' % (self.n, what))
        else:
            self.failed += 1
            print('not ok %d - %s' % (self.n, what))
            for line in str(detail).splitlines():
                print('# ' + line)


def local_links(page, docs_dir):
    """The links of @page into the reference that lead nowhere."""
    broken = []
    for href in page.links:
        url = urllib.parse.urlsplit(href)
        if url.scheme or url.netloc or href.startswith('#') or href.startswith('javascript:'):
            continue
        target = os.path.normpath(os.path.join(docs_dir, urllib.parse.unquote(url.path)))
        if not os.path.exists(target):
            broken.append(href)
    return broken


def main(docs_dir, toml_path, content_dir):
    t = Test()
    with open(toml_path, 'rb') as f:
        config = tomllib.load(f)
    content_files = config['extra']['content_files']

    def exists(name):
        return os.path.isfile(os.path.join(docs_dir, name))

    print('1..%d' % (6 + 4 * len(content_files) + 9))

    # what every gi-docgen reference has, and the Devhelp book
    for name in ('index.html', 'style.css', 'main.js', 'urlmap.js', 'index.json', 'libhorde-1.devhelp2'):
        t.ok(exists(name), '%s is in the reference' % name)

    index = Page(os.path.join(docs_dir, 'index.html'))

    for md in content_files:
        page_name = md[:-len('.md')] + '.html'
        with open(os.path.join(content_dir, md), encoding='utf-8') as f:
            first = f.readline()
        m = re.match(r'Title:\s*(.+)', first)
        title = m.group(1).strip() if m else None
        t.ok(title is not None, '%s starts with a Title line' % md, first)
        path = os.path.join(docs_dir, page_name)
        if not os.path.isfile(path):
            for what in ('its title', 'its text', 'a link from the index'):
                t.ok(False, '%s: %s (the page was not generated)' % (page_name, what))
            continue
        page = Page(path)
        t.ok(title is not None and title in page.headings + [page.title],
             '%s has its title, "%s"' % (page_name, title), 'headings: %s' % page.headings)
        words = len(page.text.split())
        broken = local_links(page, docs_dir)
        t.ok(words > 300 and not broken, '%s: %d words, its links lead to pages' % (page_name, words),
             'broken links: %s' % broken)
        t.ok(page_name in index.links, '%s is linked from the index' % page_name)

    t.ok(not local_links(index, docs_dir), "the index's links lead to pages", local_links(index, docs_dir))

    # the pages of the main types, with the words a reader looks for
    for name, words in (
        ('class.Client.html', ['A connection to an AI Horde server', 'send_async', 'base-url', 'api-key']),
        ('class.ImageJob.html', ['run_async', 'queue-position', 'images']),
        ('class.GeneratedImage.html', ['get_pixbuf']),
        ('struct.Operation.html', ['lookup', 'get_success_response_type']),
        ('struct.ImageGenerateAsyncRequest.html', ['POST /v2/generate/async', 'Builder']),
        ('struct.ImageGenerateAsyncRequestBuilder.html', ['new_from', 'end']),
        ('error.Error.html', ['VALIDATION', 'RATE_LIMITED', 'G_IO_ERROR_CANCELLED']),
        ('method.Client.send_image_generate_async_request_sync.html', ['RequestAsync']),
    ):
        if not exists(name):
            t.ok(False, '%s is in the reference' % name)
            continue
        text = Page(os.path.join(docs_dir, name)).text
        missing = [w for w in words if w not in text]
        t.ok(not missing, '%s is in the reference and tells of %s' % (name, ', '.join(words)),
             'missing: %s' % missing)

    return 1 if t.failed else 0


if __name__ == '__main__':
    if len(sys.argv) != 4:
        sys.stderr.write('usage: test-reference.py DOCS_DIR LIBHORDE_TOML CONTENT_DIR\n')
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
