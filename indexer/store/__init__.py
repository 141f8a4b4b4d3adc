"""Reading and writing the index: the one package that knows Whoosh's internals.

Everything that depends on how whoosh-reloaded lays out or builds an index
beyond its public API lives here: the postings format (``postings``,
``formats``), the codec that writes and reads it (``codec``), filing
ready-made postings into segments (``writer``), opening an index for
searching (``reading``: segment files read, never memory-mapped), a term's
postings in positioned reads (``direct``), the files of a segment that
Whoosh does map (the build's readers) read from the map rather than copied
(``mapped``), reading postings, lengths and columns into numpy arrays
(``arrays``).  ``private`` lists every private Whoosh name the
writing side relies on, so a Whoosh upgrade that renames one fails one test
that names it.
"""
