"""
The forms of the return pages. Each one turns what was typed into domain
values (a month, a version, Entry objects, bytes) and knows how it is laid out
(`{% crispy %}` renders it); the pages only render them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from crispy_forms.bootstrap import FormActions
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, LayoutObject, Submit
from crispy_forms.utils import TEMPLATE_PACK
from django import forms
from django.template.loader import render_to_string
from django.utils.html import escape, format_html
from django.utils.text import capfirst

from opb_portal.periods import Period
from opb_portal.rag import Status
from opb_portal.spreadsheets import MAX_FILE_BYTES, Cell, Problem, to_decimal
from opb_portal.spreadsheets.limits import MAX_NUMBER_CHARACTERS

from .models import Return
from .pipeline import TEXT_MAX_CHARACTERS, Change, Checked, field_max_characters
from .registry import Entry, Line, ReturnSpec

# The months offered wherever a month is picked: two years is more than any
# return stays open, and a month further back is still reachable by its URL.
MONTHS_OFFERED = 24


def field_labels(spec: ReturnSpec) -> dict[str, str]:
    """What each field of the domain's return is called: the template's column headings."""
    return {name: headings[0].capitalize() for name, headings in spec.layout.fields.items()}


def field_label(labels: dict[str, str], name: str) -> str:
    return labels.get(name) or name.replace("_", " ").capitalize()


def recent_months() -> list[Period]:
    """This month and the ones before it, newest first."""
    return list(reversed(Period.current().last_n(MONTHS_OFFERED)))


def _month_choices() -> list[tuple[str, str]]:
    return [(month.iso, month.long) for month in recent_months()]


def _line_choices(codes) -> list[tuple[str, str]]:
    return [("", "The whole return"), *((code, code) for code in codes)]


class Button(Submit):
    """A submit button of the colour given: crispy's own Submit is always btn-primary."""

    field_classes = "btn"


def _helper(*, method: str = "post", action: str = "", **attrs) -> FormHelper:
    helper = FormHelper()
    helper.form_method = method
    helper.form_action = action
    helper.attrs = attrs
    return helper


# --- the list of returns -------------------------------------------------------------


class ReturnFilterForm(forms.Form):
    domain = forms.ChoiceField(label="Return", required=False)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Return.Status.choices]
    )

    def __init__(self, *args, specs: list[ReturnSpec], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = [("", "All returns")] + [
            (spec.domain, capfirst(spec.label)) for spec in specs
        ]
        self.helper = _helper(method="get", **{"aria-label": "Filter the returns"})
        self.helper.form_class = "d-flex flex-wrap align-items-end gap-2"
        self.helper.layout = Layout(
            "domain",
            "status",
            Button("show", "Show", css_class="btn-primary"),
        )

    @property
    def filters(self) -> dict[str, str]:
        """The chosen filters; none when the form is unbound or invalid."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}


class MonthForm(forms.Form):
    """Which month the "type, upload, download" links of the list page are for."""

    month = forms.TypedChoiceField(label="Reporting month", coerce=Period.parse, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = _month_choices()
        self.fields["month"].initial = Period.current().shift(-1).iso
        self.helper = _helper(method="get", **{"aria-label": "Choose the month to prepare"})
        self.helper.form_class = "d-flex flex-wrap align-items-end gap-2"
        self.helper.layout = Layout(
            "month",
            Button("choose", "Choose", css_class="btn-outline-primary"),
        )

    @property
    def chosen(self) -> Period:
        """The month chosen, or last month: the return people are usually preparing."""
        if self.is_bound and self.is_valid() and self.cleaned_data["month"]:
            return self.cleaned_data["month"]
        return Period.current().shift(-1)


# --- typing a return ---------------------------------------------------------------------


@dataclass
class LineRow:
    """One line of the typed form, with what is shown beside its fields."""

    line: Line
    field_names: list[str]
    status: Status | None = None
    previous_value: str = ""
    previous_status: Status | None = None
    # Problems about the line rather than one of its fields (those show under the field).
    problems: list[Problem] = field(default_factory=list)
    # A figure typed that the form refused: no RAG is shown beside it ("Not rated"), never
    # the colour of the figure it would replace.
    refused: bool = False


class LineFieldset(LayoutObject):
    """One line of a return as a fieldset: its fields, last month, and the RAG as typed."""

    template = "submissions/partials/line_fieldset.html"

    def __init__(self, row: LineRow, *, previous: Period):
        self.row = row
        self.previous = previous
        text_fields = set(row.line.text_fields)
        self.fields = [
            Column(
                name,
                css_class="col-sm-6 col-lg-4"
                if name.rsplit("-", 1)[1] in text_fields
                else "col-sm-6 col-lg-2",
            )
            for name in row.field_names
        ]

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        fields = self.get_rendered_fields(form, context, template_pack, **kwargs)
        return render_to_string(
            self.template, {"row": self.row, "fields": fields, "previous": self.previous}
        )


def field_name(code: str, name: str) -> str:
    return f"{code}-{name}"


class ReturnForm(forms.Form):
    """
    A month's return typed in: one fieldset per line, every field as text.

    The form only checks the shape of what was typed; the figures are judged by
    the pipeline, exactly as an upload's are, and its problems come back here
    (`show_problems`) to be shown beside the fields they concern.
    """

    base_version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(
        self,
        data=None,
        *,
        lines: list[Line],
        labels: dict[str, str],
        period: Period,
        ret: Return | None,
        statuses: dict[str, Status | None],
        previous: dict[str, dict[str, str]],
        previous_statuses: dict[str, Status | None],
        rag_url: str,
        locked: bool = False,
    ):
        version = ret.current_version if ret else None
        initial = {"base_version": version.number if version else None}
        for code, values in (version.data if version else {}).items():
            initial.update({field_name(code, name): text for name, text in values.items()})
        super().__init__(data, initial=initial)
        self.period = period
        self.lines = lines
        self.correction = bool(ret and ret.status == Return.Status.APPROVED)
        self.withdrawing = bool(ret and ret.status == Return.Status.SUBMITTED)
        self.locked = locked
        self.refusal = ""
        self.summary: list[tuple[Problem, str]] = []  # every problem, with the id it points at
        self.rows: dict[str, LineRow] = {}
        for line in lines:
            names = [field_name(line.code, name) for name in line.fields]
            for name in line.numeric_fields:
                self.fields[field_name(line.code, name)] = forms.CharField(
                    label=self._field_label(line, field_label(labels, name)),
                    required=False,
                    max_length=field_max_characters(line, name),
                    widget=forms.TextInput(
                        attrs={"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"}
                    ),
                )
            for name in line.text_fields:
                self.fields[field_name(line.code, name)] = forms.CharField(
                    label=self._field_label(line, field_label(labels, name)),
                    required=False,
                    max_length=field_max_characters(line, name),
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
            if "value" in line.numeric_fields:
                # The RAG follows the typing (htmx); without JavaScript it shows on saving.
                self.fields[field_name(line.code, "value")].widget.attrs.update(
                    {
                        "hx-get": f"{rag_url}?code={line.code}",
                        "hx-trigger": "input changed delay:300ms",
                        "hx-target": f"#rag-{line.code}",
                        "hx-swap": "innerHTML",
                    }
                )
            before = previous.get(line.code, {})
            self.rows[line.code] = LineRow(
                line=line,
                field_names=names,
                status=statuses.get(line.code),
                previous_value=line.written(before.get("value", "")),
                previous_status=previous_statuses.get(line.code),
            )
        if self.correction:
            self.fields["reason"] = forms.CharField(
                label="Why does the approved return need correcting?",
                help_text=(
                    "Kept in the return's history. The approved figures stay on the dashboards "
                    "until the correction is approved."
                ),
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=TEXT_MAX_CHARACTERS,
                error_messages={
                    "required": "Say why the approved return needs correcting: the reason is "
                    "kept in its history."
                },
            )
        self.helper = _helper(novalidate="")
        self.helper.layout = Layout(
            *(["reason"] if self.correction else []),
            *(LineFieldset(row, previous=period.shift(-1)) for row in self.rows.values()),
            "base_version",
            *(
                []
                if locked
                else [FormActions(Button("save", "Save draft", css_class="btn-primary"))]
            ),
        )

    @staticmethod
    def _field_label(line: Line, text: str) -> str:
        if text == "Value" and line.unit:
            text = f"{text} ({line.unit.lower()})"
        # Fifteen inputs called "Value": the code makes each one's name unique to a screen reader.
        return format_html('<span class="visually-hidden">{} </span>{}', line.code, text)

    def clean(self):
        cleaned = super().clean()
        for row in self.rows.values():
            if any(name in self.errors for name in row.field_names):
                row.refused, row.status = True, None
        typed = [
            name
            for row in self.rows.values()
            for name in row.field_names
            if (cleaned.get(name) or "").strip()
        ]
        if not typed and not self.errors:
            raise forms.ValidationError(
                "The return is empty: type at least one figure before saving."
            )
        return cleaned

    def entries(self) -> list[Entry]:
        """The lines typed, as the pipeline reads them: each "cell" is the line's code."""
        entries = []
        for code, row in self.rows.items():
            texts = {
                name: (self.cleaned_data.get(field_name(code, name)) or "").strip()
                for name in row.line.fields
            }
            if not any(texts.values()):
                continue
            entries.append(
                Entry(
                    code=code,
                    label=Cell(sheet="", ref=code, value=code),
                    period=self.period,
                    fields={
                        name: Cell(sheet="", ref=code, value=text) for name, text in texts.items()
                    },
                )
            )
        return entries

    def show_problems(self, checked: Checked) -> None:
        """Put each problem beside its field (errors) or its line, and in the summary."""
        month = checked.months.get(self.period)
        if month is not None:
            for code, row in self.rows.items():
                row.status = month.statuses.get(code)
        for problem in sorted(checked.problems, key=lambda p: not p.is_error):
            name = field_name(problem.measure, problem.field)
            row = self.rows.get(problem.measure)
            if problem.is_error and row is not None:
                row.refused, row.status = True, None
            if problem.is_error and name in self.fields:
                self.add_error(name, problem.message)
            elif row is not None:
                row.problems.append(problem)
            if name in self.fields:
                target = f"id_{name}"
            elif row is not None:
                target = f"line-{problem.measure}"
            else:
                target = ""
            self.summary.append((problem, target))

    def refuse(self, message: str) -> None:
        """A save the services refused: say why at the top, keep everything typed."""
        self.refusal = message

    @property
    def summary_errors(self):
        return [(p, target) for p, target in self.summary if p.is_error]

    @property
    def summary_warnings(self):
        return [(p, target) for p, target in self.summary if not (p.is_error or p.is_note)]


class RagForm(forms.Form):
    """A figure typed in the return form, to colour it as it is typed."""

    code = forms.ChoiceField()
    value = forms.CharField(required=False, max_length=MAX_NUMBER_CHARACTERS)

    def __init__(self, data, *, lines: list[Line]):
        data = data.copy()
        code = data.get("code", "")
        # htmx sends the input under its own name (`PI1-value`); a person or test, `value`.
        if "value" not in data and field_name(code, "value") in data:
            data["value"] = data[field_name(code, "value")]
        super().__init__(data)
        self.lines = {line.code: line for line in lines}
        self.fields["code"].choices = [(code, code) for code in self.lines]

    def clean(self):
        cleaned = super().clean()
        line = self.lines.get(cleaned.get("code"))
        if line is None:
            return cleaned
        cleaned["line"] = line
        cell = Cell(sheet="", ref=line.code, value=cleaned.get("value", ""))
        number = to_decimal(cell, percent=line.percent, file="", measure=line.code)
        if isinstance(number, Problem):
            self.add_error("value", "Not a number")
        elif number is not None and line.percent and not Decimal(0) <= number <= Decimal(100):
            self.add_error("value", "Not a percentage (0 to 100)")
        else:
            cleaned["number"] = number
        return cleaned


# --- submitting, reviewing, commenting ----------------------------------------------------


# The name of the whole return's thread in a field name (a line's code never says it).
RETURN_THREAD = "return"


class SubmitForm(forms.Form):
    """
    An explanation for each line with a warning and no commentary (it becomes the line's
    commentary), and an answer to each of the reviewers' open queries (optional: the
    thread's comment form answers too).
    """

    def __init__(
        self,
        data=None,
        *,
        checked: Checked | None,
        figures: dict,
        action: str,
        queries: dict | None = None,
    ):
        super().__init__(data)
        self.checked = checked
        warnings: dict[str, list[Problem]] = {}
        for problem in checked.warnings if checked else []:
            warnings.setdefault(problem.measure, []).append(problem)
        self.unexplained = {
            code: problems
            for code, problems in warnings.items()
            if not (figures.get(code, {}).get("commentary") or "").strip()
        }
        # Each warning is said once: a line with commentary is listed as explained; every
        # other is asked for in its field, whose help text says why.
        self.explained = [
            problem
            for code, problems in warnings.items()
            if code not in self.unexplained
            for problem in problems
        ]
        for code, problems in self.unexplained.items():
            self.fields[f"explain-{code}"] = forms.CharField(
                label=f"Explanation for {code}",
                help_text=escape(" ".join(p.message for p in problems)),
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=TEXT_MAX_CHARACTERS,
                error_messages={
                    "required": f"Explain {code} before submitting: the council reads it with "
                    "the figures."
                },
            )
        for line, query in (queries or {}).items():
            about = f"the query on {line}" if line else "the query on the whole return"
            self.fields[f"answer-{line or RETURN_THREAD}"] = forms.CharField(
                label=f"Your answer to {about}",
                # Crispy renders help text as markup: the reviewer's words are escaped here.
                help_text=escape(f"{query.author} asked: {query.text}"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=TEXT_MAX_CHARACTERS,
            )
        self.helper = _helper(action=action)
        self.helper.layout = Layout(
            *self.fields,
            FormActions(
                Button("submit", "Submit the return to the council", css_class="btn-primary")
            ),
        )

    def explanations(self) -> dict[str, str]:
        return {
            name.removeprefix("explain-"): text.strip()
            for name, text in self.cleaned_data.items()
            if name.startswith("explain-") and text.strip()
        }

    def answers(self) -> dict[str, str]:
        """The answers given, by line ("" for the whole return)."""
        answers = {}
        for name, text in self.cleaned_data.items():
            if name.startswith("answer-") and text.strip():
                line = name.removeprefix("answer-")
                answers["" if line == RETURN_THREAD else line] = text.strip()
        return answers


class ReviewForm(forms.Form):
    """A reviewer's decision: approve (with an optional note) or return with a query."""

    APPROVE, RETURN = "approve", "return"

    decision = forms.ChoiceField(
        choices=[(APPROVE, "Approve"), (RETURN, "Return with queries")],
        widget=forms.HiddenInput,
    )
    line = forms.ChoiceField(label="About", required=False)
    comment = forms.CharField(
        label="Note for the Trust (optional)",
        required=False,
        max_length=TEXT_MAX_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, codes=(), action: str = "", decision: str = "", **kwargs):
        if decision:
            kwargs.setdefault("initial", {})["decision"] = decision
            kwargs.setdefault("auto_id", f"{decision}_%s")
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = _line_choices(codes)
        self.helper = _helper(action=action)
        if decision == self.RETURN:
            self.fields["comment"].label = "What needs answering"
            self.fields["comment"].widget.attrs["required"] = ""
            self.helper.layout = Layout(
                "decision",
                "line",
                "comment",
                FormActions(Button("send_back", "Return with queries", css_class="btn-warning")),
            )
        else:
            self.helper.layout = Layout(
                "decision",
                "comment",
                FormActions(Button("approve", "Approve", css_class="btn-success")),
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN and not cleaned.get("comment", "").strip():
            self.add_error("comment", "Say what needs answering: a return goes back with a query.")
        return cleaned


class CommentForm(forms.Form):
    line = forms.ChoiceField(label="About", required=False)
    text = forms.CharField(
        label="Comment",
        max_length=TEXT_MAX_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "A comment needs some text."},
    )

    def __init__(self, *args, codes=(), action: str = "", **kwargs):
        kwargs.setdefault("auto_id", "comment_%s")
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = _line_choices(codes)
        self.helper = _helper(action=action)
        self.helper.layout = Layout(
            "line", "text", FormActions(Button("add", "Add the comment", css_class="btn-secondary"))
        )


class ReplyForm(CommentForm):
    """
    The Trust's answer to one open query, at the top of a queried return's page: the line is
    the query's, so the answer joins its thread (it posts to the comment view as any comment).
    """

    def __init__(self, *args, line: str, codes=(), action: str = "", **kwargs):
        kwargs.setdefault("auto_id", f"reply-{line or RETURN_THREAD}_%s")
        super().__init__(*args, codes=codes, action=action, initial={"line": line}, **kwargs)
        self.fields["line"].widget = forms.HiddenInput()
        self.fields["text"].label = "Your answer"
        self.fields["text"].widget.attrs["rows"] = 2
        self.helper.layout = Layout(
            "line",
            "text",
            FormActions(Button("answer", "Send your answer", css_class="btn-primary")),
        )


class DiffForm(forms.Form):
    """Two versions to compare (`?from=1&to=3`)."""

    def __init__(self, data=None, *, versions, action: str = ""):
        super().__init__(data)
        self.versions = {version.number: version for version in versions}
        choices = [(n, f"Version {n}") for n in self.versions]
        # `from` is a Python keyword, so these fields cannot be declared as attributes.
        self.fields["from"] = forms.TypedChoiceField(label="Compare", choices=choices, coerce=int)
        self.fields["to"] = forms.TypedChoiceField(label="with", choices=choices, coerce=int)
        numbers = list(self.versions)
        if len(numbers) > 1:
            self.fields["from"].initial, self.fields["to"].initial = numbers[-2], numbers[-1]
        self.helper = _helper(method="get", action=f"{action}#diff")
        self.helper.form_class = "d-flex flex-wrap align-items-end gap-2"
        self.helper.layout = Layout(
            "from",
            "to",
            Button("compare", "Show the changes", css_class="btn-outline-primary"),
        )

    def changes(self, lines: list[Line], period: Period) -> list[Change]:
        """Every field that differs between the two versions, line by line."""
        before = self.versions[self.cleaned_data["from"]].data
        after = self.versions[self.cleaned_data["to"]].data
        known = {line.code: line for line in lines}
        codes = list(known) + sorted((set(before) | set(after)) - set(known))
        changes = []
        for code in codes:
            line = known.get(code) or Line(code=code, title="")
            old, new = before.get(code, {}), after.get(code, {})
            for name in dict.fromkeys([*line.fields, *old, *new]):
                if (old.get(name) or "") != (new.get(name) or ""):
                    changes.append(
                        Change(period, line, name, old.get(name) or None, new.get(name) or None)
                    )
        return changes


# --- uploads ------------------------------------------------------------------------


class UploadForm(forms.Form):
    workbook = forms.FileField(
        label="Workbook (.xlsx) or CSV",
        help_text="The portal's template, or your own table of figures (a sheet of a workbook, "
        "or a CSV file). Up to 10 MB. Only the sheets the return is read from are kept.",
        widget=forms.FileInput(
            attrs={
                "accept": ".xlsx,.csv,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
        error_messages={
            "required": "Choose the workbook to upload.",
            "empty": "The file is empty.",
        },
    )

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(action=action)
        self.helper.layout = Layout(
            "workbook",
            FormActions(
                Button(
                    "check",
                    "Check the file",
                    css_class="btn-primary",
                    **{"data-busy-text": "Checking your file…"},
                )
            ),
        )

    def clean_workbook(self):
        uploaded = self.cleaned_data["workbook"]
        # Judged from the size the browser declared, before the whole file is read.
        if uploaded.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"{uploaded.name} is {uploaded.size / (1024 * 1024):.1f} MB, over the "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MB limit: delete sheets the return does not "
                "need (or pictures), save, and upload it again."
            )
        return uploaded

    @property
    def filename(self) -> str:
        return self.cleaned_data["workbook"].name

    def read(self) -> bytes:
        return self.cleaned_data["workbook"].read()


class UploadDecisionForm(forms.Form):
    """Confirm or cancel a previewed upload; a correction of an approved month needs a reason."""

    CONFIRM, CANCEL = "confirm", "cancel"

    decision = forms.ChoiceField(
        choices=[(CONFIRM, "Confirm"), (CANCEL, "Cancel")], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label="Why do the approved figures need correcting?",
        help_text="Kept in the history of each corrected month. The approved figures stay on "
        "the dashboards until the correction is approved.",
        required=False,
        max_length=TEXT_MAX_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, correction: bool, action: str = "", decision: str = "", **kwargs):
        if decision:
            kwargs.setdefault("initial", {})["decision"] = decision
            kwargs.setdefault("auto_id", f"{decision}_%s")
        super().__init__(*args, **kwargs)
        self.correction = correction
        self.helper = _helper(action=action)
        if decision == self.CANCEL:
            self.helper.layout = Layout(
                "decision",
                FormActions(Button("cancel", "Cancel: store nothing", css_class="btn-secondary")),
            )
        else:
            self.helper.layout = Layout(
                "decision",
                *(["reason"] if correction else []),
                FormActions(
                    Button(
                        "confirm",
                        "Confirm and save",
                        css_class="btn-primary",
                        **{"data-busy-text": "Saving…"},
                    )
                ),
            )

    def clean(self):
        cleaned = super().clean()
        confirming = cleaned.get("decision") == self.CONFIRM
        if confirming and self.correction and not cleaned.get("reason", "").strip():
            self.add_error(
                "reason",
                "Say why the approved figures need correcting: the reason is kept in the "
                "history of each corrected month.",
            )
        return cleaned

    @property
    def confirmed(self) -> bool:
        return self.cleaned_data["decision"] == self.CONFIRM


# --- locking months -----------------------------------------------------------------


class PeriodLockForm(forms.Form):
    """Lock a month (a reason is optional) or unlock it (a reason is required)."""

    LOCK, UNLOCK = "lock", "unlock"

    period = forms.TypedChoiceField(coerce=Period.parse, widget=forms.HiddenInput)
    action = forms.ChoiceField(
        choices=[(LOCK, "Lock"), (UNLOCK, "Unlock")], widget=forms.HiddenInput
    )
    reason = forms.CharField(required=False, max_length=TEXT_MAX_CHARACTERS)

    def __init__(
        self,
        *args,
        months: list[Period],
        month: Period | None = None,
        locked: bool = False,
        **kwargs,
    ):
        data = args[0] if args else kwargs.get("data")
        if data is not None:
            # A posted form is shown again, with its errors, in the row of the month it names.
            month = month or _posted_month(data)
            locked = locked or data.get("action") == self.UNLOCK
        action = self.UNLOCK if locked else self.LOCK
        if month is not None:
            kwargs.setdefault("auto_id", f"id_%s_{month.iso}")
            kwargs.setdefault("initial", {}).update({"period": month.iso, "action": action})
        super().__init__(*args, **kwargs)
        # The months the page lists (submissions.selectors.lockable_months), read once a page.
        self.fields["period"].choices = [(p.iso, p.long) for p in months]
        when = month.long if month else "the month"
        self.fields["reason"].label = (
            f"Why unlock {when}?" if locked else f"Reason for locking {when} (optional)"
        )
        self.helper = _helper(**{"aria-label": f"{action.capitalize()} {when}"})
        self.helper.form_class = "d-flex flex-wrap align-items-end gap-2"
        self.helper.layout = Layout(
            "period",
            "action",
            "reason",
            Button(
                "go",
                f"Unlock {when}" if locked else f"Lock {when}",
                css_class="btn-outline-danger" if locked else "btn-outline-primary",
                css_id=f"{action}-{month.iso}" if month else None,
            ),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.UNLOCK and not cleaned.get("reason", "").strip():
            self.add_error(
                "reason", "Say why the month is being unlocked: the reason is kept in its history."
            )
        return cleaned


def _posted_month(data) -> Period | None:
    try:
        return Period.parse(data.get("period", ""))
    except ValueError:
        return None
