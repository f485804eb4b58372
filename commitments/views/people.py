"""The people pages (/personal/personal/): coordinators invite and deactivate staff.

Everything starts from `permissions.people_administration(user)`: the organisations whose
people the user administers. Others than coordinators and the operators are refused (403);
a person or invitation outside the user's organisations is not found (404). The accept page
is the one page here for someone not logged in: its token is the permission.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .. import people, permissions
from ..middleware import SESSION_STARTED
from ..models import AccountEvent, Invitation, Organisation, User

_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _administrator_only(request):
    if not permissions.may_administer_people(request.user):
        raise PermissionDenied


def _organisations(user):
    return Organisation.objects.filter(permissions.people_administration(user))


def _accounts(user):
    """The accounts the user administers: of their organisations, never an operator's."""
    return User.objects.filter(organisation__in=_organisations(user), is_superuser=False)


def _open_invitations(user):
    return Invitation.objects.visible_to(user).filter(
        accepted_at__isnull=True, revoked_at__isnull=True
    )


def _base_url(request):
    return request.build_absolute_uri("/")


@login_required
def people_list(request):
    """The people of each administered organisation: invited, active and deactivated."""
    _administrator_only(request)
    user = request.user
    now = timezone.now()
    organisations = list(_organisations(user))
    accounts = list(
        _accounts(user).prefetch_related("groups").order_by("last_name", "first_name", "username")
    )
    invitations = list(
        Invitation.objects.visible_to(user)
        .filter(accepted_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at")
    )
    sections = []
    for organisation in organisations:
        members = [a for a in accounts if a.organisation_id == organisation.pk]
        for account in members:
            role = people.role_of(account)
            account.role_label = role.label if role else ""
        invited = [i for i in invitations if i.organisation_id == organisation.pk]
        for invitation in invited:
            invitation.current_state = invitation.state_at(now)
        sections.append(
            {
                "organisation": organisation,
                "invited": invited,
                "active": [a for a in members if a.is_active],
                "deactivated": [a for a in members if not a.is_active],
            }
        )
    context = {"sections": sections, "events": _events(user)}
    return render(request, "staff/people_list.html", context)


def _events(user, limit=30):
    """The newest changes of the user's people: invitations' history and account events."""
    entries = []
    records = (
        Invitation.history.filter(organisation__in=_organisations(user))
        .select_related("history_user", "organisation")
        .order_by("-history_date")[:limit]
    )
    labels = {
        "invited": _("invited"),
        "resent": _("invitation sent again"),
        "revoked": _("invitation revoked"),
        "accepted": _("invitation accepted"),
    }
    for record in records:
        entries.append(
            {
                "at": record.history_date,
                "subject": record.email,
                "organisation": record.organisation,
                "action": labels.get(record.history_change_reason, _("invitation changed")),
                "role": record.get_role_display(),
                "by": record.history_user,
            }
        )
    events = (
        AccountEvent.objects.filter(account__in=_accounts(user))
        .select_related("account__organisation", "by")
        .order_by("-at")[:limit]
    )
    for event in events:
        entries.append(
            {
                "at": event.at,
                "subject": event.account.get_full_name() or event.account.username,
                "organisation": event.account.organisation,
                "action": event.get_action_display(),
                "role": event.get_role_display(),
                "by": event.by,
            }
        )
    entries.sort(key=lambda entry: entry["at"], reverse=True)
    return entries[:limit]


@login_required
@require_http_methods(["GET", "POST"])
def invite(request):
    _administrator_only(request)
    form = people.InvitationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        invitation, raw = form.save()
        people.send_invitation(invitation, raw, _base_url(request))
        messages.success(
            request, _("An invitation is sent to %(email)s.") % {"email": invitation.email}
        )
        return redirect("staff:people")
    return render(request, "staff/people_invite.html", {"form": form})


def _confirm(request, *, title, text, button, obj):
    context = {"title": title, "text": text, "button": button, "object": obj}
    return render(request, "staff/people_confirm.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_resend(request, pk):
    _administrator_only(request)
    invitation = get_object_or_404(_open_invitations(request.user), pk=pk)
    if request.method == "POST":
        raw = invitation.renew()
        people.send_invitation(invitation, raw, _base_url(request))
        messages.success(
            request,
            _("The invitation is sent again to %(email)s; the earlier link no longer works.")
            % {"email": invitation.email},
        )
        return redirect("staff:people")
    return _confirm(
        request,
        title=_("Send the invitation again"),
        text=_(
            "%(email)s gets a new link, valid for seven days. The link sent earlier stops working."
        )
        % {"email": invitation.email},
        button=_("Send again"),
        obj=invitation,
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_revoke(request, pk):
    _administrator_only(request)
    invitation = get_object_or_404(_open_invitations(request.user), pk=pk)
    if request.method == "POST":
        invitation.revoke()
        messages.success(
            request, _("The invitation to %(email)s is revoked.") % {"email": invitation.email}
        )
        return redirect("staff:people")
    return _confirm(
        request,
        title=_("Revoke the invitation"),
        text=_("The link sent to %(email)s stops working.") % {"email": invitation.email},
        button=_("Revoke"),
        obj=invitation,
    )


def _administered_account(request, pk):
    account = get_object_or_404(
        _accounts(request.user).filter(is_active=True).select_related("organisation"), pk=pk
    )
    if account.pk == request.user.pk:
        # Nobody locks themselves out; another coordinator or an operator does it.
        raise PermissionDenied
    return account


@login_required
@require_http_methods(["GET", "POST"])
def account_deactivate(request, pk):
    _administrator_only(request)
    account = _administered_account(request, pk)
    name = account.get_full_name() or account.username
    if request.method == "POST":
        people.deactivate(account, by=request.user)
        messages.success(request, _("%(name)s can no longer log in.") % {"name": name})
        return redirect("staff:people")
    return _confirm(
        request,
        title=_("Deactivate an account"),
        text=_(
            "%(name)s (%(organisation)s) can no longer log in. What they registered stays, "
            "with their name on it."
        )
        % {"name": name, "organisation": account.organisation},
        button=_("Deactivate"),
        obj=account,
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_role(request, pk):
    _administrator_only(request)
    account = _administered_account(request, pk)
    form = people.RoleForm(request.POST or None, account=account)
    if request.method == "POST" and form.is_valid():
        role = form.cleaned_data["role"]
        if role != people.role_of(account):
            people.change_role(account, role, by=request.user)
            messages.success(request, _("The role is changed."))
        return redirect("staff:people")
    return render(request, "staff/people_role.html", {"form": form, "account": account})


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """Become staff from an invitation's link: choose a user name and a password."""
    invitation = (
        Invitation.objects.with_token(token).select_related("organisation", "invited_by").first()
    )
    if invitation is None:
        return _unusable(request, _("This invitation link is not valid."), status=404)
    state = invitation.state_at(timezone.now())
    if state != Invitation.State.PENDING:
        return _unusable(request, _UNUSABLE[state], status=410)
    form = people.AcceptForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = people.accept(invitation.pk, form)
        except people.InvitationUsed:
            return _unusable(request, _("This invitation has already been used."), status=410)
        login(request, user, backend=_MODEL_BACKEND)
        request.session[SESSION_STARTED] = timezone.now().timestamp()
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect("staff:dashboard")
    context = {"form": form, "invitation": invitation}
    return render(request, "staff/invitation_accept.html", context)


_UNUSABLE = {
    Invitation.State.ACCEPTED: gettext_lazy("This invitation has already been used."),
    Invitation.State.REVOKED: gettext_lazy("This invitation has been revoked."),
    Invitation.State.EXPIRED: gettext_lazy("This invitation has expired."),
}


def _unusable(request, message, *, status):
    return render(request, "staff/invitation_unusable.html", {"message": message}, status=status)
