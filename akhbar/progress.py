"""What ``akhbar index`` shows while it works, and the summary it ends with."""
import time

import click


class BuildProgress:
    """A progress bar of files, articles and MB/s on a terminal; silent otherwise."""

    def __init__(self, enabled):
        self.enabled = enabled
        self.started = time.perf_counter()
        self.articles = 0
        self.bytes = 0
        self.bar = None

    def on_start(self, files, size):
        self.started = time.perf_counter()
        if self.enabled and files:
            self.bar = click.progressbar(
                length=files, label="indexing %d files (%.1f MB)" % (files, size / 1e6),
                file=click.get_text_stream("stderr"), show_pos=True, show_eta=True,
                item_show_func=self._status)
            self.bar.__enter__()

    def _status(self, _item):
        elapsed = max(time.perf_counter() - self.started, 1e-6)
        return "%d articles, %.1f MB/s" % (self.articles, self.bytes / elapsed / 1e6)

    def on_file(self, rel, articles, size):
        self.articles += articles
        self.bytes += size
        if self.bar is not None:
            self.bar.update(1, rel)

    def close(self):
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def summary_line(summary, elapsed, index_dir):
    """One line saying what a build did."""
    how = " (rebuilt, resumed an interrupted build)" if summary.resumed else (
        " (rebuilt)" if summary.rebuilt else "")
    dup_change = ""
    if summary.duplicates_new:
        dup_change = ", %+d this run" % summary.duplicates_new
    return ("%d files read (%d unchanged), %d articles added, %d updated, %d removed, "
            "%d duplicates merged%s, %d files skipped%s; %d articles in %s%s, %.1fs" % (
                summary.files_indexed, summary.files_unchanged, summary.added, summary.updated,
                summary.removed, summary.duplicates, dup_change, summary.files_skipped,
                (" (and %d bad records in files read)" % summary.records_skipped) if summary.records_skipped else "",
                summary.articles, index_dir, how, elapsed))
