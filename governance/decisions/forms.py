"""Recording a decision."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from opb_portal.core import subjects

from ..models import Action, Decision


class ActionChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.reference}: {obj.title}"


class DecisionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.reference} ({obj.meeting}): {obj.text[:80]}"


class DecisionForm(forms.Form):
    text = forms.CharField(label="Decision", widget=forms.Textarea(attrs={"rows": 4}))
    subjects = forms.MultipleChoiceField(label="About", required=False, choices=())
    actions = ActionChoice(label="Actions it concerns", queryset=None, required=False)
    supersedes = DecisionChoice(
        label="Supersedes", queryset=None, required=False, empty_label="No earlier decision"
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subjects"].choices = subjects.choices(meeting.period)
        self.fields["actions"].queryset = Action.objects.order_by("-pk")
        self.fields["supersedes"].queryset = (
            Decision.objects.filter(meeting__date__lte=meeting.date, superseded_by__isnull=True)
            .select_related("meeting")
            .order_by("-meeting__date", "-pk")
        )
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("save", "Record the decision"))
