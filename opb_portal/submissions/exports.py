"""A return's figures as .xlsx or CSV, through the one export writer."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404

from opb_portal.accounts.permissions import Action, acts_for, require
from opb_portal.exports import Cell, Export, audited_export

from . import registry
from .models import Comment, Return
from .registry import Line


def return_figures(ret, *, version=None) -> Export:
    """
    The figures of one version of a return (by default the current one), as on its page:
    one row per line with every field, the line's RAG and the number of queries on it.
    """
    version = version or ret.current_version
    spec = registry.get(ret.domain)
    period = ret.period
    lines = spec.typed_lines(period)
    data = version.data if version else {}
    known = {line.code for line in lines}
    fields = list(dict.fromkeys(name for line in lines for name in line.fields))
    context = spec.context(organisation=ret.organisation, period=period)
    queries: dict[str, int] = {}
    for line in Comment.objects.filter(ret=ret).values_list("line", flat=True):
        queries[line] = queries.get(line, 0) + 1
    rows = []
    for line in lines + [_untitled(code) for code in data if code not in known]:
        figures = data.get(line.code, {})
        status = (
            spec.status_of(line=line, data=figures, context=context) if line.code in known else None
        )
        cells: list[Cell] = [line.code, line.title]
        for name in fields:
            text = figures.get(name, "")
            cells.append(_number(text) if name in line.numeric_fields else text)
        cells += [status.label if status else "", queries.get(line.code, 0)]
        rows.append(cells)
    state = f"version {version.number}, {ret.get_status_display().lower()}" if version else ""
    title = f"{spec.label} {period.long}"
    return Export(
        title=f"{title} ({state})" if state else title,
        columns=["Line", "Title", *(name.capitalize() for name in fields), "RAG", "Queries"],
        rows=rows,
    )


def _untitled(code: str) -> Line:
    return Line(code=code, title="")


def _number(text: str) -> Cell:
    """A stored figure back as the exact number it was typed as (text if it is not one)."""
    if not text:
        return None
    try:
        return Decimal(text)
    except ArithmeticError:
        return text


@require(Action.VIEW_RETURNS)
@audited_export
def return_figures_view(request, domain, period, fmt):
    """`/returns/<domain>/<yyyy-mm>/figures.<xlsx|csv>`: whoever may see the return."""
    ret = (
        Return.objects.filter(organisation__kind="trust", domain=domain, period=period)
        .select_related("organisation", "current_version")
        .first()
    )
    if ret is None or not acts_for(request.user, ret.organisation):
        raise Http404(f"There is no return for {period.long} yet.")
    return return_figures(ret).response(fmt)
