"""The admin's one mixin: every page, choice and save starts from what the user may see or change.

The admin is the operators' tool: only superusers are staff (issue 17, `User.clean`), and
coordinators work in the staff area. The scoping stays as defence in depth, should anyone else
ever be made staff: whoever uses the admin meets the staff area's rules
(`commitments.permissions`, through the QuerySets' `visible_to` and `editable_by`):

- change lists, change, delete and history pages hold only rows the user may see; another
  organisation's row is never loaded (the admin answers as for a row that does not exist);
- a row is changed or deleted only if the user may change it (`editable_by`), and deleted only
  while it is a draft: public records are kept (Swedish archive rules), see `record_of`;
- foreign-key and many-to-many choices hold only the user's own promises' objects;
- a save is checked again on the object as the form left it (`check_may_save`), so a crafted
  POST cannot move a row into a promise the user does not coordinate;
- a historical version is never written back (django-simple-history's revert): a change goes
  through the change form and its checks.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404

from . import permissions
from .models import Organisation, Promise, User
from .models.tenancy import promise_of


def choices_for(model, user):
    """The rows a user may pick in a form's field that points at `model`, or None (all)."""
    if model is Organisation:
        return Organisation.objects.visible_to(user)
    if model is User:
        return User.objects.filter(organisation__in=Organisation.objects.visible_to(user))
    manager = model._default_manager
    if hasattr(manager, "editable_by"):
        return manager.editable_by(user)
    return None


def _contains(queryset, obj):
    return obj.pk is not None and queryset.filter(pk=obj.pk).exists()


class ScopedRelatedFilter(admin.RelatedFieldListFilter):
    """A change list filter by a related object that lists only those the user may see."""

    def field_choices(self, field, request, model_admin):
        rows = field.related_model._default_manager.visible_to(request.user)
        return [(row.pk, str(row)) for row in rows]


def scoped(*paths):
    """list_filter entries for related objects, each listing only what the user may see."""
    return [(path, ScopedRelatedFilter) for path in paths]


class ScopedChoices:
    """Foreign-key and many-to-many choices: only what the user may pick (`choices_for`)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            queryset = choices_for(db_field.related_model, request.user)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            queryset = choices_for(db_field.related_model, request.user)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedAdmin(ScopedChoices):
    """Mixin for every ModelAdmin of the portal's models (see the module's docstring)."""

    def record_of(self, obj):
        """The row whose is_deletable() decides whether `obj` may be deleted."""
        return promise_of(obj)

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return _contains(self.model._default_manager.visible_to(request.user), obj)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return _contains(self.model._default_manager.editable_by(request.user), obj)

    def has_delete_permission(self, request, obj=None):
        # Also asked for each row of the bulk delete action, which then refuses the lot.
        allowed = super().has_delete_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        if not self.record_of(obj).is_deletable():
            return False
        return _contains(self.model._default_manager.editable_by(request.user), obj)

    def check_may_save(self, request, obj):
        """Refuse a save that would leave `obj` outside what the user may change."""
        if not permissions.may_set_up(request.user, promise_of(obj)):
            raise PermissionDenied

    def save_model(self, request, obj, form, change):
        self.check_may_save(request, obj)
        super().save_model(request, obj, form, change)

    # What citizens see of a promise changes with its rows: each save and deletion says so.

    def promises_of(self, obj):
        """The promises whose public data a change of `obj` may change."""
        return [promise_of(obj)]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for promise in self.promises_of(form.instance):
            promise.touch()

    def delete_model(self, request, obj):
        promises = self.promises_of(obj)
        super().delete_model(request, obj)
        _touch_remaining(promises)

    def delete_queryset(self, request, queryset):
        promises = [p for obj in queryset for p in self.promises_of(obj)]
        super().delete_queryset(request, queryset)
        _touch_remaining(promises)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """django-simple-history's page of one historical version: read only, of visible rows.

        Its POST writes the old version back, past every check of the change form (and past
        the follow-up workflow), so it is refused.
        """
        if request.method != "GET":
            raise PermissionDenied
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)


def _touch_remaining(promises):
    """Touch the promises that a deletion left (a deleted promise has no pages to renew)."""
    for pk in {p.pk for p in promises if p.pk is not None}:
        promise = Promise.objects.filter(pk=pk).first()
        if promise is not None:
            promise.touch()


class ScopedInline(ScopedChoices):
    """Mixin for inlines: Django passes the parent object, whose rules decide.

    Rows of a public record are kept with it (`keeps_public_records`), except where they are
    the record's corrigible details (an activity's measure values).
    """

    keeps_public_records = True

    def record_of(self, parent):
        return promise_of(parent)

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def _parent_editable(self, request, parent):
        return parent is None or _contains(
            self.parent_model._default_manager.editable_by(request.user), parent
        )

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and self._parent_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and self._parent_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if not allowed or not self._parent_editable(request, obj):
            return False
        if obj is None or not self.keeps_public_records:
            return True
        return self.record_of(obj).is_deletable()
