"""Who may touch an IKM profile: only its owner, always found through the signed-in user.

Owner pages never take an IKM id or slug from the URL: the profile is ``request.user``'s, so another
owner's profile cannot even be named (healthchecks' ``_get_check_for_user``, one step further).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from ikm.models import IKM


def get_user_ikm(user: object) -> IKM | None:
    """The IKM the signed-in user owns (one query, region joined), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return IKM.objects.select_related("region").filter(owner_id=user.pk).first()


def owner_ikm_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Log in first; without an IKM go to create one (staff: to the admin, their workplace); the view
    receives the user's own ``ikm``."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        ikm = get_user_ikm(request.user)
        if ikm is None:
            return redirect("admin:index" if request.user.is_staff else "ikm:profile-create")
        return view(request, ikm, *args, **kwargs)

    return wrapper
