"""Documents the portal hands out to be edited: the one Word writer (`word`)."""
