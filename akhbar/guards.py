"""What the command line does with what should not happen: arguments that
are not UTF-8, an index damaged on disk, Ctrl-C and ``kill`` during a build."""
import functools
import os
import signal

import click

from indexer.encoding import printable


class Text(click.ParamType):
    """A command-line text that must be UTF-8.

    Python keeps bytes of an argument that are not UTF-8 as lone surrogates,
    which fail much later, deep in a search; say so here instead.
    """
    name = "text"

    def convert(self, value, param, ctx):
        bad = next((i for i, c in enumerate(value) if "\udc80" <= c <= "\udcff"), None)
        if bad is not None:
            self.fail("“%s” is not UTF-8 text (byte \\x%02x at character %d): check that the terminal "
                      "or script uses UTF-8" % (printable(value), ord(value[bad]) - 0xdc00, bad + 1), param, ctx)
        return value


TEXT = Text()


def reports_damage(command):
    """A command over ``index_dir`` whose failed reads of a damaged index end in
    a message naming the damaged file and asking for a rebuild (exit 1)."""
    @functools.wraps(command)
    def run(*args, **kwargs):
        from indexer.store.check import READ_ERRORS, find_damage
        try:
            return command(*args, **kwargs)
        except (BrokenPipeError, ConnectionError):
            raise               # the reader went away (``| head``): nothing to do with the index
        except READ_ERRORS:
            damage = find_damage(kwargs["index_dir"])
            if damage is None:
                raise           # not damage: a fault of ours, shown as it is
            raise click.ClickException("the index in %s is damaged: %s. Rebuild it: akhbar index PATH "
                                       "--index %s --rebuild" % (kwargs["index_dir"], damage, kwargs["index_dir"]))
    return run


def interrupt_once_then_quit():
    """Ctrl-C or ``kill -TERM`` stops the build cleanly (the last commit stays
    searchable, the message says so); a second one, while that cleanup runs,
    exits at once without a traceback.  Returns what puts the previous handlers back."""
    def again(signum, frame):
        os._exit(130)

    def first(signum, frame):
        signal.signal(signal.SIGINT, again)
        signal.signal(signal.SIGTERM, again)
        previous.clear()          # stay quiet until the process has exited
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, first) for sig in (signal.SIGINT, signal.SIGTERM)}

    def restore():
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return restore
