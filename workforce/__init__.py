"""
Workforce: the social work establishment, social workers by type, vacancies and caseloads.

`returns.py` plugs the monthly workforce return into the shared machinery;
`selectors.py` holds the reads the dashboard, the API and the board pack share.
"""
