"""
Finance: each year's plan, the monthly finance return, and the position against the plan.

models (the plan and the approved figures), returns (the finance return spec),
variance (a line's RAG), selectors (the position the dashboard, the API and the
board pack share), demo (2024-25).
"""
