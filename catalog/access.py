"""Who may touch which catalog object: one helper per owned model, each a 404 for anyone else.

Another owner's product is a 404, never a 403 that tells it exists (healthchecks' ``_get_check_for_user``).
Views under /dasbor/ fetch every object through these helpers, never with a bare ``objects.get(pk=...)``.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from catalog.models import Certification, Product, ProductPhoto
from ikm.models import IKM

IKM_PROFILE_CREATE_URL = "ikm:profile-create"


def user_ikm(user: object) -> IKM | None:
    """The IKM the signed-in user owns, or None (one account owns at most one IKM)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return IKM.objects.select_related("region").filter(owner=user).first()


def owner_ikm_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Log in first; a user without an IKM is sent to create the profile; the view gets ``ikm`` as an argument."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        ikm = user_ikm(request.user)
        if ikm is None:
            return redirect(_profile_create_url())
        return view(request, ikm, *args, **kwargs)

    return wrapper


def _profile_create_url() -> str:
    # Reversed per request, not at import: the IKM app owns that URL.
    try:
        return reverse(IKM_PROFILE_CREATE_URL)
    except NoReverseMatch:
        return reverse("home")


def get_owned_product_or_404(user: object, pk: int) -> Product:
    """One of the user's own products (any status), with what the owner pages show about it."""
    product = (
        Product.objects.select_related("ikm", "ikm__region", "category", "category__parent")
        .defer("search_vector")
        .filter(pk=pk, ikm__owner_id=getattr(user, "pk", None))
        .first()
    )
    if product is None:
        raise Http404("No such product.")
    return product


def get_owned_photo_or_404(user: object, product_pk: int, photo_pk: int) -> ProductPhoto:
    """A photo of one of the user's own products; the product in the URL must be the photo's."""
    photo = (
        ProductPhoto.objects.select_related("product", "product__ikm")
        .filter(pk=photo_pk, product_id=product_pk, product__ikm__owner_id=getattr(user, "pk", None))
        .first()
    )
    if photo is None:
        raise Http404("No such photo.")
    return photo


def get_owned_certification_or_404(user: object, pk: int) -> Certification:
    """One of the user's own certificates (any status)."""
    certification = (
        Certification.objects.select_related("ikm").filter(pk=pk, ikm__owner_id=getattr(user, "pk", None)).first()
    )
    if certification is None:
        raise Http404("No such certificate.")
    return certification


def get_certification_document_or_404(user: object, pk: int) -> Certification:
    """A certificate whose scan the user may read: its owner's, or any for staff. Never the public's."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("No such document.")
    certifications = Certification.objects.select_related("ikm").exclude(document="")
    # Staff who may view certificates in the admin (moderators; superusers have every permission).
    if not (user.is_staff and user.has_perm("catalog.view_certification")):
        certifications = certifications.filter(ikm__owner_id=user.pk)
    certification = certifications.filter(pk=pk).first()
    if certification is None:
        raise Http404("No such document.")
    return certification
