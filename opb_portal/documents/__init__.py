"""
Documents the portal hands out: the one Word writer (`word`) and the fingerprint of a
document made as a job (`fingerprint`); a job's page progress is boardpack.render's.
"""
