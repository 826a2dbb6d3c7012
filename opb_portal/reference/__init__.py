"""
Reference data every domain may use: the vocabulary of measures (`Unit`, `Polarity`), the
child population behind every rate per 10,000, and the published tables the demonstration
is built from.

It sits below the domain apps, beside the rest of the machinery: a domain imports from
here, never from another domain, and nothing here imports a domain (import-linter's
contracts in pyproject.toml keep it so).
"""
