"""Query in, ranked results out."""
