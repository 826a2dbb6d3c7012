"""Words that betray an activity return's workbook uploaded as another domain's return."""

ACTIVITY_WORDS = ("foster carer", "placed with", "section 47 enquiries", "placement type")
