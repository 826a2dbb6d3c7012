"""
Finance: contract sum, budgets, actuals, forecasts and the deficit.

Filled by the finance and workforce issue.
"""
