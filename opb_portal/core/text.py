"""Words for messages and pages, written the way people write them."""


def joined(parts: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`: a list as a sentence says it (no Oxford comma)."""
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def moved(before, after, *, rose: str = "risen", fell: str = "fallen") -> str:
    """How a figure moved, as a report says it: `rose`, `fell` or "stayed the same"."""
    if after > before:
        return rose
    if after < before:
        return fell
    return "stayed the same"
