"""Admin of follow-ups: read only, for everyone, superusers included.

A follow-up changes only through its workflow in the staff area (FollowUp's transitions and
`edit_text`), which check who may do what, log each step and keep the approvals true to the
text: a signed report is never rewritten or moved in place, it is corrected by a new version
that both signatories approve again. Here its state, texts and history are read, and an
unsubmitted draft may be deleted.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from commitments.scoped_admin import ScopedAdmin, ScopedInline, scoped

from .models import Approval, CommitmentAssessment, FollowUp


class ReadOnlyInline(ScopedInline):
    def has_add_permission(self, request, obj):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CommitmentAssessmentInline(ReadOnlyInline, admin.StackedInline):
    model = CommitmentAssessment
    extra = 0


class ApprovalInline(ReadOnlyInline, admin.TabularInline):
    model = Approval
    extra = 0


@admin.register(FollowUp)
class FollowUpAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = [
        "promise",
        "year",
        "tertial",
        "version",
        "state",
        "published_at",
        "registered_afterwards",
    ]
    list_filter = ["state", "year", "tertial", *scoped("promise")]
    list_select_related = ["promise"]
    search_fields = ["promise__title", "summary"]
    inlines = [CommitmentAssessmentInline, ApprovalInline]

    def record_of(self, obj):
        return obj  # FollowUp.is_deletable: drafts only

    def has_add_permission(self, request):
        return False  # FollowUp.start_draft, in the staff area

    def has_change_permission(self, request, obj=None):
        return False
