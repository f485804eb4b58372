"""Admin for coordinators: promises, commitments, districts, types, indicators, activities."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Activity,
    ActivityImport,
    ActivityType,
    ActivityValue,
    Commitment,
    District,
    Indicator,
    Measure,
    Measurement,
    Organisation,
    Promise,
    Signatory,
    User,
)


class KeepsPublicRecords:
    """Public records are not deleted (Swedish archive rules): only drafts may be.

    `record_of(obj)` names the row whose is_deletable() decides: the object itself, its promise,
    or for an inline the parent object Django passes in. Django's bulk delete action asks the
    same question for every selected row and refuses the whole deletion if one is kept.
    """

    def record_of(self, obj):
        return obj.promise

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not self.record_of(obj).is_deletable():
            return False
        return super().has_delete_permission(request, obj)


class OfParent(KeepsPublicRecords):
    """For inlines: Django passes the parent object being edited."""

    def record_of(self, obj):
        return obj


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "organisation", "is_active"]
    list_filter = ["organisation", "groups", "is_active", "is_staff"]
    list_select_related = ["organisation"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (_("Organisation"), {"fields": ["organisation"]}),
    ]


class SignatoryInline(OfParent, admin.TabularInline):
    model = Signatory
    extra = 0


class DistrictInline(OfParent, admin.TabularInline):
    model = District
    extra = 0
    fields = ["name", "slug", "kind", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Promise)
class PromiseAdmin(KeepsPublicRecords, admin.ModelAdmin):
    list_display = [
        "title",
        "municipality",
        "police_area",
        "start_date",
        "end_date",
        "is_published",
    ]
    list_filter = ["is_published", "municipality", "police_area"]
    list_select_related = ["municipality", "police_area"]
    search_fields = ["title", "slug", "municipality__name", "police_area__name"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SignatoryInline, DistrictInline]
    autocomplete_fields = ["previous"]

    def record_of(self, obj):
        return obj


@admin.register(District)
class DistrictAdmin(KeepsPublicRecords, admin.ModelAdmin):
    list_display = ["name", "promise", "kind", "order"]
    list_filter = ["kind", "promise"]
    list_select_related = ["promise"]
    search_fields = ["name", "slug", "promise__title"]


class ActivityTypeInline(KeepsPublicRecords, admin.TabularInline):
    model = ActivityType
    extra = 0
    fields = ["name", "slug", "is_sensitive", "order"]
    show_change_link = True


@admin.register(Commitment)
class CommitmentAdmin(KeepsPublicRecords, admin.ModelAdmin):
    list_display = ["__str__", "promise"]
    list_filter = ["promise"]
    list_select_related = ["promise"]
    search_fields = ["title", "text", "promise__title"]
    filter_horizontal = ["responsible_organisations", "districts"]
    inlines = [ActivityTypeInline]


class MeasureInline(KeepsPublicRecords, admin.TabularInline):
    model = Measure
    extra = 0

    def record_of(self, obj):
        return obj.commitment.promise


@admin.register(ActivityType)
class ActivityTypeAdmin(KeepsPublicRecords, admin.ModelAdmin):
    list_display = ["name", "commitment", "is_sensitive", "order"]
    list_filter = ["is_sensitive", "commitment__promise"]
    list_select_related = ["commitment__promise"]
    search_fields = ["name", "slug", "commitment__title"]
    inlines = [MeasureInline]

    def record_of(self, obj):
        return obj.commitment.promise


class ActivityValueInline(admin.TabularInline):
    model = ActivityValue
    extra = 0


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
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
    list_filter = ["is_public", "commitment__promise", "organisation", "district", "activity_type"]
    list_select_related = ["activity_type", "district", "organisation", "created_by"]
    search_fields = ["summary", "internal_note", "external_id"]
    date_hierarchy = "date"
    readonly_fields = ["created_by", "created_at", "updated_at", "version"]
    inlines = [ActivityValueInline]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return Activity.objects.editable_by(request.user).filter(pk=obj.pk).exists()

    def has_delete_permission(self, request, obj=None):
        # Also asked for each row of the bulk delete action, which then refuses the lot.
        allowed = super().has_delete_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        if not obj.is_deletable():  # Public records are kept; see Activity.is_deletable.
            return False
        return Activity.objects.editable_by(request.user).filter(pk=obj.pk).exists()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        else:
            # So that a staff form opened before this admin edit is refused, not overwritten.
            obj.version += 1
        super().save_model(request, obj, form, change)


class MeasurementInline(KeepsPublicRecords, admin.TabularInline):
    model = Measurement
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(KeepsPublicRecords, admin.ModelAdmin):
    list_display = ["name", "promise", "commitment", "kind", "unit", "direction"]
    list_filter = ["kind", "direction", "promise"]
    list_select_related = ["promise", "commitment"]
    search_fields = ["name", "source"]
    filter_horizontal = ["activity_types", "districts"]
    inlines = [MeasurementInline]


@admin.register(Measurement)
class MeasurementAdmin(KeepsPublicRecords, admin.ModelAdmin):
    list_display = ["indicator", "period_start", "period_end", "district", "value"]
    list_filter = ["indicator__promise", "indicator", "district"]
    list_select_related = ["indicator", "district"]
    search_fields = ["indicator__name", "source_note"]

    def record_of(self, obj):
        return obj.indicator.promise


@admin.register(ActivityImport)
class ActivityImportAdmin(admin.ModelAdmin):
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
    list_filter = ["promise", "organisation"]
    list_select_related = ["promise", "organisation", "imported_by"]
    search_fields = ["file_name", "sha256"]
    date_hierarchy = "imported_at"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(promise__in=Promise.objects.visible_to(request.user))
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
