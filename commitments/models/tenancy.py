"""Rows that belong to one promise: where the promise is, and the QuerySet that scopes them.

Each such model names the lookup from itself to its promise in `promise_path` ("" for the
promise itself, "commitment__promise" for an activity type). The staff rules of
`commitments.permissions` are written once for promises; this QuerySet applies them at the
model's path, so the staff area, the forms' choices and the admin start from the same rows.
"""

from django.db import models

from .. import permissions


def promise_prefix(model):
    """The lookup prefix from `model` to its promise: "" or e.g. "commitment__promise__"."""
    path = model.promise_path
    return f"{path}__" if path else ""


def promise_of(obj):
    """The promise an object belongs to, following its model's `promise_path`."""
    for name in filter(None, type(obj).promise_path.split("__")):
        obj = getattr(obj, name)
    return obj


class PromiseScopedQuerySet(models.QuerySet):
    """Rows of a model with a `promise_path`: staff see those of promises they take part in,
    and coordinators change those of the promises they lead."""

    def visible_to(self, user):
        return self.filter(permissions.promise_visibility(user, promise_prefix(self.model)))

    def editable_by(self, user):
        return self.filter(permissions.promise_coordination(user, promise_prefix(self.model)))

    def of_promise(self, promise):
        path = self.model.promise_path
        return self.filter(**{path or "pk": promise.pk})
