"""Where the benchmarks find the measurement corpora, and what to say when they are missing.

The corpora ship as archives in ../shared/corpora beside the checkout; the
benchmarks read them unpacked (see ../shared/README.md).
"""
import os
import sys

ARCHIVES = {
    "ant": ("/tmp/ant", "ant-v2.1-arabic-news.tar.gz", "the extracted ANT corpus"),
    "multi": ("/tmp/multi", "multilingual-news-sample.tar.gz", "the extracted multilingual news sample"),
}


def add_corpus_options(parser, *names):
    """--ant and/or --multi options, defaulting to the usual unpack folders."""
    for name in names:
        default, _, help_text = ARCHIVES[name]
        parser.add_argument("--" + name, default=default, help=help_text)


def require_corpora(args, *names):
    """Exit with an unpacking hint when a corpus folder is missing."""
    for name in names:
        path = getattr(args, name)
        if not os.path.isdir(path):
            sys.exit("no corpus at %s: unpack ../shared/corpora/%s there (see ../shared/README.md) "
                     "or pass --%s" % (path, ARCHIVES[name][1], name))
