"""Reading and writing the index: the one package that knows Whoosh's internals.

Everything that depends on how whoosh-reloaded lays out or builds an index
beyond its public API lives here: the postings format (``postings``,
``formats``), the codec that writes and reads it (``codec``), filing
ready-made postings into segments (``writer``), opening an index for
searching (``reading``) with segment files read in place from their memory
map (``mapped``), reading postings, lengths and columns into numpy arrays
(``arrays``).  ``private`` lists every private Whoosh name the
writing side relies on, so a Whoosh upgrade that renames one fails one test
that names it.
"""
