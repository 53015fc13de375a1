# Horde.py: the PyGObject override module of libhorde
#
# Installed as gi/overrides/Horde.py in the Python site directory (as
# gst-python does for Gst), it is loaded by `from gi.repository import
# Horde` and adds what a Python user expects to the introspected API.
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import logging
import os
import signal
import socket
import threading

from gi.repository import GLib

from ..module import get_introspection_module
from ..overrides import override

Horde = get_introspection_module('Horde')

__all__ = []


# -------------------------------------------------------------------------
# Cleanup: no request is left on the server by a script that ends, fails
# or is interrupted (Horde.Session, and Ctrl+C in Job.run_sync()).
#
# A _sync call of a C library blocks in C: Python only runs its signal
# handlers once the call returns, so Ctrl+C during a 30 s job would wait
# for its end. Job.run_sync() here runs the job in a main context of its
# own that it iterates from Python, with the idea of PyGObject's
# gi/_ossighelper.py: signal.set_wakeup_fd() writes to a socket that a
# source of that context watches, so a signal wakes the context up and its
# Python handler runs at once. The handler cancels the job; once the
# server answered the DELETE the signal goes on to the handler that was
# there before (KeyboardInterrupt for SIGINT, the end of the process for an
# unhandled SIGTERM).

_log = logging.getLogger('Horde')

_CAUGHT_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class _WakeupSource(GLib.Source):
    # readable when a signal arrived; reading it is all there is to do:
    # running any Python code lets the interpreter run the pending handlers
    def __init__(self, sock):
        super().__init__()
        self._sock = sock
        self._tag = self.add_unix_fd(sock.fileno(), GLib.IOCondition.IN)

    def prepare(self):
        return False, -1

    def check(self):
        return bool(self.query_unix_fd(self._tag) & GLib.IOCondition.IN)

    def dispatch(self, callback, args):
        try:
            while self._sock.recv(64):
                pass
        except (BlockingIOError, InterruptedError):
            pass
        return GLib.SOURCE_CONTINUE


class _SignalDeferral:
    """Holds SIGINT and SIGTERM while a call runs in @context, calling
    @on_signal at the first one, and delivers them once it is over.

    Works in the main thread only (the only one Python lets set signal
    handlers); elsewhere it does nothing."""

    def __init__(self, context, on_signal):
        self._context = context
        self._on_signal = on_signal
        self._previous = {}
        self._caught = []
        self._source = None
        self._sockets = None
        self._wakeup_fd = None

    @property
    def active(self):
        return bool(self._previous)

    def _handle(self, signum, frame):
        self._caught.append(signum)
        self._on_signal(signum)

    def __enter__(self):
        if threading.current_thread() is not threading.main_thread():
            return self
        for signum in _CAUGHT_SIGNALS:
            previous = signal.getsignal(signum)
            # SIG_IGN, or a handler not set from Python: leave it be
            if previous is None or previous == signal.SIG_IGN:
                continue
            self._previous[signum] = previous
            signal.signal(signum, self._handle)
        if self._previous:
            self._sockets = socket.socketpair()
            for sock in self._sockets:
                sock.setblocking(False)
                sock.set_inheritable(False)
            self._wakeup_fd = signal.set_wakeup_fd(self._sockets[1].fileno())
            self._source = _WakeupSource(self._sockets[0])
            self._source.attach(self._context)
        return self

    def __exit__(self, *exc_info):
        if not self._previous:
            return False
        self._source.destroy()
        self._source = None
        if signal.set_wakeup_fd(self._wakeup_fd) != self._sockets[1].fileno():
            _log.debug('the signal wakeup fd changed during a call')
        for sock in self._sockets:
            sock.close()
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)
        previous = self._previous
        self._previous = {}
        # no exception of the call hides the signal: it is what the user did
        if self._caught:
            _deliver(self._caught[0], previous[self._caught[0]])
        return False


def _deliver(signum, handler):
    # what the signal would have done without us
    if callable(handler):
        handler(signum, None)
    elif handler == signal.SIG_DFL:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        # a default SIGINT/SIGTERM ends the process before this line


class Job(Horde.Job):

    def run_sync(self, cancellable=None):
        """Runs the job and waits for its end, blocking the calling thread.

        Unlike the C function, a SIGINT (Ctrl+C) or SIGTERM that arrives
        while it waits cancels the job at once: the request is deleted on
        the server, then the signal does what it would have done
        (KeyboardInterrupt for Ctrl+C). From a thread other than the main
        one, it is the C function."""
        if threading.current_thread() is not threading.main_thread():
            return Horde.Job.run_sync(self, cancellable)

        def interrupted(signum):
            _log.info('%s: cancelling the job %s', signal.Signals(signum).name,
                      self.get_id() or '(not submitted yet)')
            # the user wants out: delete, and do not wait for generations
            # workers were making (the second cancel)
            self.cancel()
            self.cancel()

        context = GLib.MainContext.new()
        results = []
        context.push_thread_default()
        try:
            with _SignalDeferral(context, interrupted):
                Horde.Job.run_async(self, cancellable, lambda job, result: results.append(result))
                while not results:
                    context.iteration(True)
                # what is ready still runs (libsoup lets go of connections)
                while context.iteration(False):
                    pass
                return self.run_finish(results[0])
        finally:
            context.pop_thread_default()


Job = override(Job)
__all__.append('Job')


class ImageJob(Horde.ImageJob):
    # the C class has its own run_sync(), the same as the base class's
    run_sync = Job.run_sync


ImageJob = override(ImageJob)
__all__.append('ImageJob')


class Session:
    """Deletes the requests of @client's jobs on leaving a `with` block.

        with Horde.Session(client) as session:
            job = Horde.ImageJob.new(client, request)
            job.run_sync()
        print(session.deleted)

    On leaving the block, normally, by an exception, by KeyboardInterrupt
    or by SIGTERM (which the session turns into SystemExit while it is
    active, unless a handler is set already), every request that a job of
    @client holds on the server is deleted, except those of jobs marked
    with `job.set_keep(True)`; the ids deleted are in `session.deleted`
    and logged on the "Horde" logger. It waits for the server's answers,
    running the thread-default main context meanwhile (see
    Horde.Client.clean_up_sync).
    """

    def __init__(self, client):
        self.client = client
        self.deleted = []
        self._term_handler = None

    def __enter__(self):
        if (threading.current_thread() is threading.main_thread() and
                signal.getsignal(signal.SIGTERM) == signal.SIG_DFL):
            def terminated(signum, frame):
                raise SystemExit(128 + signum)
            self._term_handler = terminated
            signal.signal(signal.SIGTERM, terminated)
        return self

    def clean_up(self):
        """Deletes the requests of the client's jobs that are not kept now,
        returning their ids (the list is also added to `deleted`)."""
        ids = list(self.client.clean_up_sync(None) or [])
        if ids:
            _log.info('deleted %d request(s) left on the server: %s',
                      len(ids), ', '.join(ids))
        self.deleted.extend(ids)
        return ids

    def __exit__(self, exc_type, exc, tb):
        try:
            self.clean_up()
        finally:
            if self._term_handler is not None:
                if signal.getsignal(signal.SIGTERM) is self._term_handler:
                    signal.signal(signal.SIGTERM, signal.SIG_DFL)
                self._term_handler = None
        return False


__all__.append('Session')
