"""Constructed monthly series with a known structure, shared by the forecasting tests."""

import random

PATTERN = (3.0, 5.0, 8.0, 6.0, 4.0, 2.0, 1.0, 2.0, 4.0, 6.0, 7.0, 5.0)  # one year's shape


def line(months: int, start: float = 10.0, slope: float = 1.5) -> list[float]:
    return [start + slope * month for month in range(months)]


def seasonal(years: int) -> list[float]:
    return list(PATTERN) * years


def random_walk(months: int, seed: int, step: float = 3.0) -> list[float]:
    rng = random.Random(seed)
    level, values = 100.0, []
    for _ in range(months):
        level += rng.gauss(0, step)
        values.append(level)
    return values


def trend_with_noise(months: int, seed: int) -> list[float]:
    rng = random.Random(seed)
    return [50 + 0.8 * month + rng.gauss(0, 1) for month in range(months)]
