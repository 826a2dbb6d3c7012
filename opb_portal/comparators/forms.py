"""The comparator import's forms: the file, the decision on its preview, one typed figure."""

from crispy_forms.bootstrap import FormActions
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms

from opb_portal.comparators.statistics.reader import MAX_FILE_BYTES as MAX_STATISTICS_BYTES
from opb_portal.spreadsheets import MAX_FILE_BYTES

# What a file input offers to choose: a workbook or a CSV.
SPREADSHEETS = (
    ".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)


class _FileForm(forms.Form):
    """A file to import, its size judged before it is read (`max_bytes`)."""

    max_bytes = MAX_FILE_BYTES
    # What to do with a file over the limit.
    too_big = "split it and import each part."

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > self.max_bytes:
            raise forms.ValidationError(
                f"{uploaded.name} is {uploaded.size / (1024 * 1024):.1f} MB, over the "
                f"{self.max_bytes // (1024 * 1024)} MB limit: {self.too_big}"
            )
        return uploaded

    @property
    def filename(self) -> str:
        return self.cleaned_data["file"].name

    def read(self) -> bytes:
        return self.cleaned_data["file"].read()


class ComparatorFileForm(_FileForm):
    """The file of an import: its size judged before it is read; its cells by `imports`."""

    file = forms.FileField(
        label="Comparator file (.xlsx or .csv)",
        help_text="The template, or your own table with Code, Authority, Year and Value "
        "columns. Up to 10 MB.",
        widget=forms.FileInput(attrs={"accept": SPREADSHEETS}),
        error_messages={"required": "Choose the file to import.", "empty": "The file is empty."},
    )

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(action=action)
        self.helper.layout = Layout(
            "file", FormActions(Submit("check", "Check the file", css_class="btn-primary"))
        )


class ComparatorDecisionForm(forms.Form):
    """Confirm or cancel a previewed import; the preview's fingerprint travels with it."""

    CONFIRM, CANCEL = "confirm", "cancel"

    decision = forms.ChoiceField(
        choices=[(CONFIRM, "Confirm"), (CANCEL, "Cancel")], widget=forms.HiddenInput
    )
    fingerprint = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, action: str = "", decision: str = "", fingerprint: str = "", **kw):
        if decision:
            kw.setdefault("initial", {}).update({"decision": decision, "fingerprint": fingerprint})
            kw.setdefault("auto_id", f"{decision}_%s")
        super().__init__(*args, **kw)
        self.helper = _helper(action=action)
        self.helper.form_class = "d-inline-block"
        if decision == self.CANCEL:
            button = Submit("cancel", "Cancel: change nothing", css_class="btn-secondary")
        else:
            button = Submit("confirm", "Confirm and import", css_class="btn-primary")
        self.helper.layout = Layout("decision", "fingerprint", button)

    @property
    def confirmed(self) -> bool:
        return self.cleaned_data["decision"] == self.CONFIRM


class StatisticsFileForm(_FileForm):
    """A published statistics file as downloaded, and when it was published (optional)."""

    max_bytes = MAX_STATISTICS_BYTES
    too_big = "download the table for fewer years or filters and import each part."

    file = forms.FileField(
        label="Underlying data file (.csv)",
        help_text="The CSV as explore-education-statistics downloads it (Download data, CSV), "
        f"up to {MAX_STATISTICS_BYTES // (1024 * 1024)} MB. Checking a large file may take "
        "a few seconds.",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": "Choose the file to import.", "empty": "The file is empty."},
    )
    published_on = forms.DateField(
        label="Published on (optional)",
        required=False,
        help_text="The release's publication date, which benchmark pages quote.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(action=action)
        self.helper.layout = Layout(
            "file",
            "published_on",
            FormActions(
                Submit(
                    "check",
                    "Check the file",
                    css_class="btn-primary",
                    # A large file takes seconds: the button says so, and is not pressed twice.
                    **{"data-busy-text": "Checking the file: this may take a few seconds…"},
                )
            ),
        )


class StatisticsDecisionForm(ComparatorDecisionForm):
    """Confirm or cancel a previewed statistics import, with its publication date."""

    published_on = forms.DateField(
        label="Published on (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if kwargs.get("decision") == self.CANCEL:
            del self.fields["published_on"]  # a cancel publishes nothing
        else:
            self.helper.layout.fields.insert(2, "published_on")


class ComparatorForm(forms.Form):
    """One typed figure, as text: `services.comparator_save` runs the file's checks on it."""

    code = forms.ChoiceField(label="Measure or KPI")
    authority = forms.ChoiceField(label="Authority")
    year = forms.CharField(
        label="Year", max_length=10, help_text="At March of this year, or 2023-24 for that year."
    )
    value = forms.CharField(label="Value", max_length=60)
    source = forms.CharField(
        label="Source",
        max_length=200,
        required=False,
        help_text="Where the figure was published. Left empty, a stored figure keeps its source.",
    )

    def __init__(self, *args, codes: list[str], authorities: list[str], action: str = "", **kw):
        super().__init__(*args, **kw)
        self.fields["code"].choices = [("", "Choose…"), *((code, code) for code in codes)]
        self.fields["authority"].choices = [("", "Choose…"), *((a, a) for a in authorities)]
        self.helper = _helper(action=action)
        self.helper.layout = Layout(
            "code",
            "authority",
            "year",
            "value",
            "source",
            FormActions(Submit("save", "Save the figure", css_class="btn-primary")),
        )

    def add_problems(self, problems) -> None:
        """The checks' problems, each on the field it is about."""
        for problem in problems:
            name = problem.field if problem.field in self.fields else None
            self.add_error(name, problem.message)


class NeighbourGroupForm(forms.Form):
    """A new statistical neighbour group: its name, first day, source, and members from a
    file or typed; `services.neighbour_group_load` checks the members against the register."""

    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="How pages name it: Statistical neighbours from June 2025 (LIAT).",
    )
    effective_from = forms.DateField(
        label="In force from",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The first day of the group. The group in force now ends the day before.",
        error_messages={"invalid": "Enter the day as a date, such as 2025-06-01."},
    )
    source = forms.CharField(
        label="Source",
        max_length=200,
        required=False,
        help_text="Where the group was published: DfE LAIT statistical neighbours, June 2025.",
    )
    file = forms.FileField(
        label="Members from a file (.xlsx or .csv)",
        required=False,
        help_text="A table with an Authority column (a name or an ONS code), and optionally "
        "ONS code and Rank columns: one row for each of the ten neighbours. Up to 10 MB.",
        widget=forms.FileInput(attrs={"accept": SPREADSHEETS}),
        error_messages={"empty": "The file is empty."},
    )
    members = forms.CharField(
        label="Or type the members",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="One authority a line: its ONS code (E08000026) or its name (Coventry).",
    )

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(action=action)
        self.helper.layout = Layout(
            "name",
            "effective_from",
            "source",
            "file",
            "members",
            FormActions(Submit("load", "Check and save the group", css_class="btn-primary")),
        )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        return _within_limit(uploaded) if uploaded else uploaded

    def clean(self):
        cleaned = super().clean()
        given = bool(cleaned.get("file")), bool((cleaned.get("members") or "").strip())
        if given == (True, True):
            raise forms.ValidationError(
                "Give the members one way: choose a file or type them, not both."
            )
        if given == (False, False) and "file" not in self.errors:
            raise forms.ValidationError("Give the ten members: choose a file or type them.")
        return cleaned

    def arguments(self) -> dict:
        """What `services.neighbour_group_load` takes."""
        cleaned = self.cleaned_data
        found = {
            "name": cleaned["name"],
            "effective_from": cleaned["effective_from"],
            "source": cleaned["source"],
        }
        uploaded = cleaned.get("file")
        if uploaded:
            return {**found, "data": uploaded.read(), "filename": uploaded.name}
        return {**found, "members": cleaned["members"]}

    def add_problems(self, problems) -> list:
        """The group's own problems on their fields; the members' (returned) are listed
        on the page with where each was found."""
        listed = []
        for problem in problems:
            if problem.field in ("name", "effective_from"):
                self.add_error(problem.field, problem.message)
            else:
                listed.append(problem)
        return listed


def _within_limit(uploaded):
    """A file judged by its size before it is read."""
    if uploaded.size > MAX_FILE_BYTES:
        raise forms.ValidationError(
            f"{uploaded.name} is {uploaded.size / (1024 * 1024):.1f} MB, over the "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB limit: split it and import each part."
        )
    return uploaded


def _helper(*, action: str = "") -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.form_action = action
    return helper
