"""
Documents the portal hands out: the one Word writer (`word`), the fingerprint of a document
made as a job (`fingerprint`) and WeasyPrint's page progress told to a job (`progress`).
"""
