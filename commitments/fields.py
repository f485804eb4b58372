"""Text fields that carry the personal-data guard: public text, staff-only text, slugs.

Every CharField and TextField of `commitments` and `followups` is one of these, or is listed
with its reason in `UNGUARDED` in tests/test_personal_data_guard.py, which walks every model.

The guard runs in `validate()`, which every `full_clean()` calls (staff forms, the admin, the
spreadsheet import, the loader, the follow-up transitions), so that its message can name the
field by its verbose name. As a `validate()` and not a validator in `validators=`, it is no
part of the field's migration state: a change to the guard needs no migration.
"""

from django.db import models

from .validators import INTERNAL, PUBLIC, check_text


class GuardedField:
    """Refuses the personal data in `checks` (commitments.validators) on full_clean()."""

    checks = PUBLIC

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        check_text(value, checks=self.checks, label=self.verbose_name)


class PublicCharField(GuardedField, models.CharField):
    """A citizen may read it: no personal identity number, e-mail, phone or plate."""


class PublicTextField(GuardedField, models.TextField):
    """A citizen may read it: no personal identity number, e-mail, phone or plate."""


class PublicSlugField(GuardedField, models.SlugField):
    """A slug is in a public address: the public guard, as for the name it is made from."""


class InternalCharField(GuardedField, models.CharField):
    """Staff only: no personal identity number (a duty officer's phone may be noted)."""

    checks = INTERNAL


class InternalTextField(GuardedField, models.TextField):
    """Staff only: no personal identity number (a duty officer's phone may be noted)."""

    checks = INTERNAL


class InternalEmailField(GuardedField, models.EmailField):
    """A staff member's address, staff only: no personal identity number as its name part."""

    checks = INTERNAL
