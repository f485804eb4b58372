"""The staff page that continues a promise next year (commitments/copying.py does the work)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..copying import copy_to_year
from ..forms import CopyPromiseForm
from .workspace import coordinated_promise


@login_required
def copy_promise(request, slug):
    """A coordinator continues a promise next year, as an unpublished draft."""
    promise = coordinated_promise(request, slug)
    form = CopyPromiseForm(request.POST or None, initial={"year": promise.end_date.year + 1})
    if form.is_valid():
        try:
            copy = copy_to_year(promise, year=form.cleaned_data["year"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(title)s is created as a draft.") % {"title": copy})
            return redirect("staff:dashboard")
    return render(request, "staff/copy_promise.html", {"promise": promise, "form": form})
