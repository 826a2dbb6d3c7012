"""
Saved scenarios: the council's "what if" questions of the deficit, worked through the
driver model (`finance.model`) and set beside the Trust's own forecast and the model's
base case. Services change them, selectors work them out (an outturn is computed, never
stored), `pack` is the board pack's "Deficit scenarios" section.
"""
