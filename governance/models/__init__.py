"""
The board's accountability records, one module each; every model is imported here so
that Django finds it.
"""
