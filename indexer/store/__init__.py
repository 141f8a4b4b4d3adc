"""Reading and writing the index: the one package that knows Whoosh's internals."""
