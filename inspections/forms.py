"""The Ofsted import's file form; the decision on a preview is the comparators' own form."""

from opb_portal.comparators.forms import ComparatorDecisionForm, ComparatorFileForm

__all__ = ["InspectionsDecisionForm", "InspectionsFileForm"]

InspectionsDecisionForm = ComparatorDecisionForm


class InspectionsFileForm(ComparatorFileForm):
    """Ofsted's management information file, as downloaded: its size judged before it is read."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "Ofsted's management information (.xlsx or .csv)"
        self.fields["file"].help_text = (
            "The file as Ofsted publishes it: a row an inspection or visit, with Local "
            "authority, Inspection type and Inspection start date columns. Up to 10 MB."
        )
