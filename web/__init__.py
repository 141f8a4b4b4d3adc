"""The local results page."""
