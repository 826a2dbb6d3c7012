"""
Workforce: establishment, social worker FTE by type, vacancies and caseloads.

Filled by the finance and workforce issue.
"""
