"""Admin for follow-ups: read their state and history; transitions happen in the staff area."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from commitments.admin import KeepsPublicRecords, OfParent

from .models import Approval, CommitmentAssessment, FollowUp


class CommitmentAssessmentInline(OfParent, admin.StackedInline):
    model = CommitmentAssessment
    extra = 0


class ApprovalInline(OfParent, admin.TabularInline):
    model = Approval
    extra = 0
    readonly_fields = ["organisation", "approved_by", "approved_at", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(FollowUp)
class FollowUpAdmin(KeepsPublicRecords, SimpleHistoryAdmin):
    list_display = ["promise", "year", "tertial", "version", "state", "published_at"]
    list_filter = ["state", "year", "tertial", "promise"]
    list_select_related = ["promise"]
    search_fields = ["promise__title", "summary"]
    readonly_fields = [
        "state",
        "submitted_by",
        "submitted_at",
        "published_by",
        "published_at",
        "pdf",
        "pdf_sha256",
    ]
    inlines = [CommitmentAssessmentInline, ApprovalInline]

    def record_of(self, obj):
        return obj
