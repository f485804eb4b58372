"""The operators' admin of promises, their structure and activities, scoped by `ScopedAdmin`."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import permissions
from .models import (
    Activity,
    ActivityImport,
    ActivityType,
    ActivityValue,
    Commitment,
    District,
    Measure,
    Organisation,
    Promise,
    Signatory,
    User,
)
from .models.tenancy import promise_of
from .scoped_admin import ScopedAdmin, ScopedInline, scoped


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin, admin.ModelAdmin):
    """Organisations are shared by every promise: the operators change them."""

    list_display = ["name", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def record_of(self, obj):
        return _NeverDeletable

    def check_may_save(self, request, obj):
        if not permissions.is_superuser(request.user):
            raise PermissionDenied

    def promises_of(self, obj):
        """Its name is on the pages of every promise it takes part in."""
        return list(
            Promise.objects.filter(
                Q(municipality=obj)
                | Q(police_area=obj)
                | Q(commitments__responsible_organisations=obj)
            ).distinct()
        )


class _NeverDeletable:
    """An organisation is named by promises and activities that are kept."""

    @staticmethod
    def is_deletable():
        return False


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    """Users are the operators' (superusers only: no group has permissions on them)."""

    list_display = ["username", "first_name", "last_name", "organisation", "is_active"]
    list_filter = ["organisation", "groups", "is_active", "is_staff"]
    list_select_related = ["organisation"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (_("Organisation"), {"fields": ["organisation"]}),
    ]


class SignatoryInline(ScopedInline, admin.TabularInline):
    model = Signatory
    extra = 0


class DistrictInline(ScopedInline, admin.TabularInline):
    model = District
    extra = 0
    fields = ["name", "slug", "kind", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Promise)
class PromiseAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = [
        "title",
        "municipality",
        "police_area",
        "start_date",
        "end_date",
        "is_published",
    ]
    list_filter = ["is_published", *scoped("municipality", "police_area")]
    list_select_related = ["municipality", "police_area"]
    search_fields = ["title", "slug", "municipality__name", "police_area__name"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SignatoryInline, DistrictInline]
    autocomplete_fields = ["previous"]


@admin.register(District)
class DistrictAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["name", "promise", "kind", "order"]
    list_filter = ["kind", *scoped("promise")]
    list_select_related = ["promise"]
    search_fields = ["name", "slug", "promise__title"]


class ActivityTypeInline(ScopedInline, admin.TabularInline):
    model = ActivityType
    extra = 0
    fields = ["name", "slug", "is_sensitive", "order"]
    show_change_link = True


@admin.register(Commitment)
class CommitmentAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["__str__", "promise"]
    list_filter = scoped("promise")
    list_select_related = ["promise"]
    search_fields = ["title", "text", "promise__title"]
    filter_horizontal = ["responsible_organisations", "districts"]
    inlines = [ActivityTypeInline]


class MeasureInline(ScopedInline, admin.TabularInline):
    model = Measure
    extra = 0


@admin.register(ActivityType)
class ActivityTypeAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["name", "commitment", "is_sensitive", "order"]
    list_filter = ["is_sensitive", *scoped("commitment__promise")]
    list_select_related = ["commitment__promise"]
    search_fields = ["name", "slug", "commitment__title"]
    inlines = [MeasureInline]


class ActivityValueInline(ScopedInline, admin.TabularInline):
    model = ActivityValue
    extra = 0
    # A measure value is a detail of its activity, corrected like the rest of it.
    keeps_public_records = False


class ActivityAdminForm(forms.ModelForm):
    """The activity with the version it was opened on (see ActivityAdmin.save_model)."""

    class Meta:
        model = Activity
        fields = [
            "commitment",
            "activity_type",
            "district",
            "organisation",
            "date",
            "hours",
            "staff_count",
            "summary",
            "internal_note",
            "is_public",
            "external_id",
            "version",
        ]
        widgets = {"version": forms.HiddenInput}


class StaleEdit(Exception):
    """Someone saved the activity after this admin form was opened."""

    def __init__(self, activity, based_on):
        super().__init__(activity.pk)
        self.activity, self.based_on = activity, based_on


@admin.register(Activity)
class ActivityAdmin(ScopedAdmin, SimpleHistoryAdmin):
    form = ActivityAdminForm
    list_display = [
        "date",
        "activity_type",
        "district",
        "organisation",
        "hours",
        "staff_count",
        "is_public",
        "created_by",
    ]
    list_filter = [
        "is_public",
        *scoped("commitment__promise", "organisation", "district", "activity_type"),
    ]
    list_select_related = ["activity_type", "district", "organisation", "created_by"]
    search_fields = ["summary", "internal_note", "external_id"]
    date_hierarchy = "date"
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [ActivityValueInline]

    def record_of(self, obj):
        return obj  # Activity.is_deletable: within the publication delay, or never published

    def check_may_save(self, request, obj):
        """An activity is saved for an organisation the user may log for, in its promise."""
        promise = promise_of(obj)
        allowed = Organisation.objects.filter(
            permissions.loggable_organisations(request.user, promise), pk=obj.organisation_id
        )
        if not allowed.exists():
            raise PermissionDenied

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            obj.version = 1
        else:
            # The same optimistic concurrency as the staff form (Activity.save_edit): one
            # conditional UPDATE claims the version the form was opened on, or the save stops.
            based_on = form.cleaned_data["version"]
            claimed = Activity.objects.filter(pk=obj.pk, version=based_on).update(
                version=F("version") + 1
            )
            if not claimed:
                raise StaleEdit(obj, based_on)
            obj.version = based_on + 1
        super().save_model(request, obj, form, change)  # checks check_may_save, then saves

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The save runs in the admin's transaction, which StaleEdit rolls back whole.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleEdit as stale:
            current = Activity.objects.get(pk=stale.activity.pk)
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Someone else saved this activity after you opened it"),
                "activity": current,
                "changes": current.changes_since(stale.based_on),
                "values": current.value_changes_since(stale.based_on),
                "change_url": request.path,
            }
            return TemplateResponse(
                request, "admin/commitments/activity/stale.html", context, status=409
            )


@admin.register(ActivityImport)
class ActivityImportAdmin(ScopedAdmin, admin.ModelAdmin):
    """The audit record of spreadsheet imports: read only, for the promises the user sees."""

    list_display = [
        "imported_at",
        "file_name",
        "promise",
        "organisation",
        "imported_by",
        "rows",
        "created_count",
        "updated_count",
        "unchanged_count",
    ]
    list_filter = scoped("promise", "organisation")
    list_select_related = ["promise", "organisation", "imported_by"]
    search_fields = ["file_name", "sha256"]
    date_hierarchy = "imported_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The indicators' admin, in a module of its own (registered on import).
from . import admin_indicators  # noqa: E402, F401
