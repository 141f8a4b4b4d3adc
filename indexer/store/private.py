"""Every private name of whoosh-reloaded that ``indexer.store`` relies on.

The store subclasses Whoosh's W3 codec and its writer and sets or calls
their underscored members.  A Whoosh release may rename any of them without
notice; ``tests/test_store.py`` checks each one here exists, so an upgrade
that breaks the store fails there, naming what is missing, instead of deep
inside a build.  Add a name here whenever the store starts using one.
"""
import importlib
import inspect

# (module, attribute path) pairs
PRIVATE_NAMES = [
    # writer.py: finishing a worker's segment without committing it
    ("whoosh.writing", "SegmentWriter._finalize_segment"),
    ("whoosh.writing", "SegmentWriter._finish"),
    # writer.py: filing a document's fields into the per-document writer
    ("whoosh.codec.whoosh3", "W3PerDocWriter.start_doc"),
    ("whoosh.codec.whoosh3", "W3PerDocWriter.add_field"),
    ("whoosh.codec.whoosh3", "W3PerDocWriter.add_column_value"),
    ("whoosh.codec.whoosh3", "W3PerDocWriter.finish_doc"),
    # codec.py: the field writer and terms reader it extends
    ("whoosh.codec.whoosh3", "W3FieldWriter.start_field"),
    ("whoosh.codec.whoosh3", "W3FieldWriter.finish_term"),
    ("whoosh.codec.whoosh3", "W3FieldWriter.finish_field"),
    ("whoosh.codec.whoosh3", "W3FieldCursor.term_info"),
    ("whoosh.codec.whoosh3", "W3TermsReader._keycoder"),
    ("whoosh.codec.whoosh3", "W3TermsReader._keydecoder"),
    ("whoosh.codec.whoosh3", "W3Codec.TERMS_EXT"),
    ("whoosh.codec.whoosh3", "W3Codec.POSTS_EXT"),
    # postings.py: the block matcher
    ("whoosh.codec.whoosh3", "W3LeafMatcher._goto"),
    ("whoosh.codec.whoosh3", "W3LeafMatcher._read_header"),
    ("whoosh.codec.whoosh3", "W3LeafMatcher._read_data"),
    ("whoosh.codec.whoosh3", "W3LeafMatcher._read_ids"),
    ("whoosh.codec.whoosh3", "W3LeafMatcher._read_weights"),
    ("whoosh.codec.whoosh3", "W3LeafMatcher._read_values"),
    ("whoosh.util.numeric", "byte_to_length"),
    ("whoosh.util.numeric", "length_to_byte"),
    # termwriter.py: length_to_byte's table, to look many lengths up at once
    ("whoosh.util.numeric", "_length_byte_cache"),
    # formats.py
    ("whoosh.formats", "tokens"),
    # arrays.py: length columns, column readers, the ordered term table
    ("whoosh.codec.whoosh3", "LENGTHS_COLUMN"),
    ("whoosh.codec.whoosh3", "_lenfield"),
    ("whoosh.codec.whoosh3", "W3PerDocReader._cached_reader"),
    ("whoosh.filedb.filetables", "OrderedHashReader"),
    ("whoosh.filedb.filetables", "md5_hash"),
    ("whoosh.filedb.filetables", "_pointer"),
    ("whoosh.filedb.filetables", "_lengths"),
    # mapped.py: the name compound storage makes its files with
    ("whoosh.filedb.compound", "BufferFile"),
    # reading.py
    ("whoosh.index", "FileIndex.reader"),
    ("whoosh.matching", "ListMatcher"),
]

# Instance attributes set or read on Whoosh objects: (module, class, attribute).
# They exist only once an object is built, so they are looked for as
# assignments in the source of the class or its bases.
PRIVATE_ATTRIBUTES = [
    ("whoosh.writing", "SegmentWriter", "_added"),
    ("whoosh.writing", "SegmentWriter", "segments"),
    ("whoosh.writing", "SegmentWriter", "pool"),
    ("whoosh.writing", "SegmentWriter", "perdocwriter"),
    ("whoosh.writing", "SegmentWriter", "docnum"),
    ("whoosh.codec.whoosh3", "W3PerDocWriter", "_fieldlengths"),
    ("whoosh.codec.whoosh3", "W3FieldWriter", "_postwriter"),
    ("whoosh.codec.whoosh3", "W3FieldWriter", "_fieldobj"),
    ("whoosh.codec.whoosh3", "W3FieldWriter", "_btext"),
    ("whoosh.codec.whoosh3", "W3FieldWriter", "_tindex"),
    ("whoosh.codec.whoosh3", "W3FieldWriter", "_fieldid"),
    ("whoosh.codec.whoosh3", "W3FieldWriter", "_postfile"),
    # termwriter.py: adding many terms to the term dictionary's hash file at once
    ("whoosh.filedb.filetables", "HashWriter", "dbfile"),
    ("whoosh.filedb.filetables", "HashWriter", "hashfn"),
    ("whoosh.filedb.filetables", "HashWriter", "buckets"),
    ("whoosh.filedb.filetables", "OrderedHashWriter", "index"),
    ("whoosh.filedb.filetables", "OrderedHashWriter", "lastkey"),
    ("whoosh.codec.whoosh3", "W3FieldCursor", "_tindex"),
    ("whoosh.codec.whoosh3", "W3FieldCursor", "_pos"),
    ("whoosh.codec.whoosh3", "W3FieldCursor", "_datapos"),
    ("whoosh.codec.whoosh3", "W3FieldCursor", "_datalen"),
    ("whoosh.codec.whoosh3", "W3TermsReader", "_tindex"),
    ("whoosh.codec.whoosh3", "W3PostingsWriter", "_postfile"),
    ("whoosh.codec.whoosh3", "W3LeafMatcher", "_postfile"),
    ("whoosh.codec.whoosh3", "W3LeafMatcher", "_startoffset"),
    ("whoosh.codec.whoosh3", "W3LeafMatcher", "_baseoffset"),
    ("whoosh.codec.whoosh3", "W3LeafMatcher", "_blocklength"),
    ("whoosh.codec.whoosh3", "W3LeafMatcher", "_maxid"),
    ("whoosh.codec.whoosh3", "W3LeafMatcher", "_maxweight"),
    ("whoosh.codec.whoosh3", "W3LeafMatcher", "_minlength"),
    ("whoosh.codec.whoosh3", "W3LeafMatcher", "_maxlength"),
    ("whoosh.codec.whoosh3", "W3LeafMatcher", "_lastblock"),
    ("whoosh.codec.whoosh3", "W3LeafMatcher", "_nextoffset"),
    ("whoosh.codec.whoosh3", "W3LeafMatcher", "_dataoffset"),
    ("whoosh.codec.whoosh3", "W3LeafMatcher", "_data"),
    ("whoosh.codec.whoosh3", "W3LeafMatcher", "_ids"),
    ("whoosh.codec.whoosh3", "W3LeafMatcher", "_weights"),
    ("whoosh.codec.whoosh3", "W3LeafMatcher", "_values"),
    ("whoosh.codec.whoosh3", "W3LeafMatcher", "_i"),
    ("whoosh.matching", "ListMatcher", "_ids"),
    ("whoosh.matching", "ListMatcher", "_weights"),
    ("whoosh.matching", "ListMatcher", "_terminfo"),
    ("whoosh.codec.whoosh3", "W3TermInfo", "_weight"),
    ("whoosh.codec.whoosh3", "W3TermInfo", "_df"),
    ("whoosh.codec.whoosh3", "W3TermInfo", "_minlength"),
    ("whoosh.codec.whoosh3", "W3TermInfo", "_maxlength"),
    ("whoosh.codec.whoosh3", "W3TermInfo", "_maxweight"),
    ("whoosh.codec.whoosh3", "W3TermInfo", "_minid"),
    ("whoosh.codec.whoosh3", "W3TermInfo", "_maxid"),
    ("whoosh.codec.whoosh3", "W3TermInfo", "_offset"),
    ("whoosh.codec.whoosh3", "W3TermInfo", "_length"),
    ("whoosh.codec.whoosh3", "W3TermInfo", "_inlined"),
    # arrays.py
    ("whoosh.reading", "SegmentReader", "_perdoc"),
    ("whoosh.reading", "SegmentReader", "_terms"),
    ("whoosh.codec.whoosh3", "W3TermsReader", "_fieldmap"),
    ("whoosh.filedb.filetables", "OrderedHashReader", "indexbase"),
    ("whoosh.filedb.filetables", "OrderedHashReader", "indexlen"),
    ("whoosh.filedb.filetables", "OrderedHashReader", "indexsize"),
    ("whoosh.filedb.filetables", "OrderedHashReader", "endofdata"),
    ("whoosh.filedb.filetables", "OrderedHashReader", "extras"),
    ("whoosh.filedb.filetables", "OrderedHashReader", "dbfile"),
    # direct.py: the term table's hash tables, and where a compound segment's file lies
    ("whoosh.filedb.filetables", "HashReader", "tables"),
    ("whoosh.filedb.filetables", "HashReader", "hashfn"),
    ("whoosh.codec.whoosh3", "W3TermsReader", "_postfile"),
    ("whoosh.filedb.compound", "SubFile", "_file"),
    ("whoosh.filedb.compound", "SubFile", "_offset"),
    ("whoosh.filedb.compound", "SubFile", "_length"),
    ("whoosh.columns", "NumericColumn.Reader", "_typecode"),
    ("whoosh.columns", "NumericColumn.Reader", "_defaultbytes"),
    ("whoosh.columns", "NumericColumn.Reader", "_count"),
    ("whoosh.columns", "NumericColumn.Reader", "_basepos"),
    ("whoosh.columns", "NumericColumn.Reader", "_dbfile"),
    ("whoosh.columns", "VarBytesColumn.Reader", "_lengths"),
    ("whoosh.columns", "VarBytesColumn.Reader", "_offsets"),
    ("whoosh.columns", "VarBytesColumn.Reader", "_basepos"),
    ("whoosh.columns", "VarBytesColumn.Reader", "_dbfile"),
]


def missing():
    """The private names above that this Whoosh does not have, as dotted strings."""
    gone = []
    for module, path in PRIVATE_NAMES:
        obj = importlib.import_module(module)
        for part in path.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                gone.append("%s.%s" % (module, path))
                break
    for module, cls, attr in PRIVATE_ATTRIBUTES:
        klass = importlib.import_module(module)
        for part in cls.split("."):          # a nested class is named with dots
            klass = getattr(klass, part, None)
        if klass is None or not _assigned(klass, attr):
            gone.append("%s.%s().%s" % (module, cls, attr))
    return gone


def _assigned(klass, attr):
    """Whether ``klass`` or a base sets ``self.<attr>`` (or has it as a class attribute)."""
    if hasattr(klass, attr):
        return True
    for base in klass.__mro__:
        try:
            source = inspect.getsource(base)
        except (OSError, TypeError):
            continue
        if ("self.%s =" % attr) in source or ("self.%s," % attr) in source:
            return True
    return False
