"""Staff accounts without a superuser: inviting, accepting, deactivating, changing a role.

The pages are in commitments/views/people.py and the command in
commitments/management/commands/invite_coordinator.py; both go through these functions, so
that every change is written to the audit trail (commitments/models/invitations.py) the same
way wherever it is made.
"""

import re

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import permissions
from .models import AccountEvent, Invitation, Organisation, User
from .models.invitations import ROLES_OF_KIND, Role, role_fits
from .validators import INTERNAL, PersonalDataValidator


def invitation_link(raw, base_url):
    """The absolute address of the accept page for a raw token."""
    return base_url.rstrip("/") + reverse("staff:invitation_accept", kwargs={"token": raw})


def send_invitation(invitation, raw, base_url):
    """Mail the link to the invited address, in Swedish; returns the link."""
    link = invitation_link(raw, base_url)
    with translation.override("sv"):
        context = {"invitation": invitation, "link": link}
        send_mail(
            _("Invitation to the citizen promise portal"),
            render_to_string("staff/email/invitation.txt", context),
            settings.DEFAULT_FROM_EMAIL,
            [invitation.email],
        )
    return link


def role_of(user):
    """The user's role for the people page: the first of their staff groups, or "".

    Read from `user.groups.all()`, so that a list of users with their groups prefetched asks
    no more queries.
    """
    names = {group.name for group in user.groups.all()}
    for role in (Role.COORDINATOR, Role.APPROVER, Role.POLICE, Role.MUNICIPALITY):
        if role.value in names:
            return role
    return ""


def suggested_username(email):
    """The e-mail's name part, as a free user name ("anna.svensson", "anna.svensson2", ...)."""
    base = re.sub(r"[^\w.@+-]", "", email.partition("@")[0].lower())[:140] or "personal"
    name, number = base, 1
    while User.objects.filter(username__iexact=name).exists():
        number += 1
        name = f"{base}{number}"
    return name


class InvitationForm(forms.Form):
    """Invite a person: an address, one of the organisations the user administers, a role."""

    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        validators=[PersonalDataValidator(checks=INTERNAL, label=gettext_lazy("E-mail address"))],
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        choices=Role.choices,
        help_text=gettext_lazy(
            "Police staff only in a police area, municipal staff only in a municipality."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["organisation"].queryset = Organisation.objects.filter(
            permissions.people_administration(user), kind__in=list(ROLES_OF_KIND)
        )

    def clean(self):
        data = super().clean()
        organisation, role, email = data.get("organisation"), data.get("role"), data.get("email")
        if organisation and role and not role_fits(role, organisation):
            self.add_error("role", _("This role cannot be given in this organisation."))
        if organisation and email:
            email = email.strip().lower()
            if Invitation.objects.pending().filter(email=email, organisation=organisation).exists():
                self.add_error(
                    "email",
                    _("This address already has an invitation to this organisation."),
                )
        return data

    def save(self):
        data = self.cleaned_data
        return Invitation.issue(
            email=data["email"],
            organisation=data["organisation"],
            role=data["role"],
            invited_by=self.user,
        )


class AcceptForm(forms.Form):
    """Choose a user name and a password (Django's password validators)."""

    username = forms.CharField(
        label=gettext_lazy("User name"),
        max_length=150,
        validators=[User.username_validator],
        help_text=gettext_lazy("Letters, digits and . @ + - _ only."),
    )
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150, required=False)
    password1 = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html,
    )
    password2 = forms.CharField(
        label=gettext_lazy("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.fields["username"].initial = suggested_username(invitation.email)
        self.fields["username"].widget.attrs["autocomplete"] = "username"

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This user name is taken."), code="taken")
        return username

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            candidate = User(
                username=data.get("username", ""),
                email=self.invitation.email,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class InvitationUsed(Exception):
    """The invitation was accepted, revoked or expired meanwhile."""


def accept(invitation_pk, form):
    """Create the account of an invitation, once: the invitation row is locked meanwhile."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation_pk)
        now = timezone.now()
        if invitation.state_at(now) != Invitation.State.PENDING:
            raise InvitationUsed
        data = form.cleaned_data
        user = User(
            username=data["username"],
            email=invitation.email,
            first_name=data["first_name"],
            last_name=data["last_name"],
            organisation=invitation.organisation,
            is_staff=False,
        )
        user.set_password(data["password1"])
        user.save()
        user.groups.set([Group.objects.get(name=invitation.role)])
        invitation.accepted_at = now
        invitation.account = user
        invitation._change_reason = "accepted"
        invitation._history_user = user
        invitation.save(update_fields=["accepted_at", "account"])
        AccountEvent.objects.create(
            account=user, action=AccountEvent.Action.CREATED, role=invitation.role, by=user, at=now
        )
    return user


def deactivate(account, by):
    """The person can no longer log in; what they did stays, with their name on it."""
    with transaction.atomic():
        account.is_active = False
        account.save(update_fields=["is_active"])
        AccountEvent.objects.create(
            account=account, action=AccountEvent.Action.DEACTIVATED, role=role_of(account), by=by
        )


def change_role(account, role, by):
    """The person's one staff group becomes `role`."""
    with transaction.atomic():
        account.groups.set([Group.objects.get(name=role)])
        AccountEvent.objects.create(
            account=account, action=AccountEvent.Action.ROLE_CHANGED, role=role, by=by
        )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("New role"), choices=Role.choices)

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account
        allowed = ROLES_OF_KIND.get(account.organisation.kind, ())
        self.fields["role"].choices = [(r.value, r.label) for r in allowed]
        self.fields["role"].initial = role_of(account)
