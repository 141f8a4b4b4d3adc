"""Files in, index out: reading archives, analysing text, writing the index."""
