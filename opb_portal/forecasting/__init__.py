"""
Forecasts of a monthly series, honest about their own accuracy.

The machinery every forecast in the portal goes through (a KPI's outlook, a demand
series, a cost driver's path): it names no domain and knows nothing of RAG. A caller
gives the history as plain numbers, oldest first, and gets back the next months with an
80% prediction interval, the method chosen for this series by a rolling-origin
backtest against simple baselines, and how accurate that method has been on it.

Why these methods and not a library's: docs/decisions/0010-forecasting.md.
"""

from .api import Accuracy, Forecast, Step, accuracy_sentence, forecast

__all__ = ["Accuracy", "Forecast", "Step", "accuracy_sentence", "forecast"]
