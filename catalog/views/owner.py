"""The IKM owner's product and certificate pages under /dasbor/.

Every view needs a signed-in owner with an IKM (``owner_ikm_required``) and fetches objects through
``catalog.access`` (another owner's object is a 404). Writes go through ``catalog.services``; a rule
the services refuse comes back as a message next to the field, or at the top, never as a 500.
"""

from pathlib import PurePosixPath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db.models import Case, Count, Prefetch, Value, When
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from catalog import services
from catalog.access import (
    get_certification_document_or_404,
    get_owned_certification_or_404,
    get_owned_photo_or_404,
    get_owned_product_or_404,
    owner_ikm_required,
)
from catalog.forms import CertificationForm, PhotoAltFormSet, PhotoUploadForm, ProductForm
from catalog.models import Certification, Product, ProductPhoto
from ikm.models import IKM
from moderation.models import Decision

# The scans we accept are PDFs and images; anything else is served as an opaque download.
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}


def _add_service_error(form: BaseForm, error: ValidationError) -> None:
    """Put a service's refusal next to the field it names, or at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _history(obj: Product | Certification) -> list[Decision]:
    """The object's decisions, newest first, with status labels the owner understands."""
    labels = dict(type(obj).Status.choices)
    decisions = list(Decision.objects.for_object(obj).only("from_status", "to_status", "reason", "created_at", "actor"))
    for decision in decisions:
        decision.from_label = labels.get(decision.from_status, decision.from_status)
        decision.to_label = labels.get(decision.to_status, decision.to_status)
    return decisions


# --- Products ------------------------------------------------------------------------------------

# The owner's list puts first what needs the owner's action, archived products last.
_STATUS_ORDER = Case(
    *(
        When(status=status, then=Value(rank))
        for rank, status in enumerate(
            [
                Product.Status.NEEDS_CHANGES,
                Product.Status.DRAFT,
                Product.Status.PENDING,
                Product.Status.PUBLISHED,
                Product.Status.ARCHIVED,
            ]
        )
    ),
    default=Value(9),
)


@never_cache
@require_safe
@owner_ikm_required
def product_list(request: HttpRequest, ikm: IKM) -> HttpResponse:
    """All the owner's products with status, staff's reason and cover; 2 queries for any number of products."""
    products = (
        Product.objects.filter(ikm=ikm)
        .select_related("category")
        .defer("search_vector")
        .prefetch_related(Prefetch("photos", queryset=ProductPhoto.objects.order_by("position")))
        .order_by(_STATUS_ORDER, "-updated_at", "-pk")
    )
    status = request.GET.get("status", "")
    if status in Product.Status.values:
        products = products.filter(status=status)
    else:
        status = ""
    counts = dict(Product.objects.filter(ikm=ikm).values_list("status").annotate(n=Count("pk")).order_by())
    return render(
        request,
        "catalog/owner/product_list.html",
        {
            "ikm": ikm,
            "products": products,
            "status": status,
            "status_counts": [(value, label, counts.get(value, 0)) for value, label in Product.Status.choices],
            "total": sum(counts.values()),
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@owner_ikm_required
def product_create(request: HttpRequest, ikm: IKM) -> HttpResponse:
    form = ProductForm(request.POST or None)
    if form.is_valid():
        try:
            product = services.product_create(ikm=ikm, user=request.user, data=form.product_data())
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("Product saved as a draft. Now add its photos."))
            return redirect("catalog:owner-product-photos", pk=product.pk)
    return render(request, "catalog/owner/product_form.html", {"ikm": ikm, "form": form, "product": None})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@owner_ikm_required
def product_update(request: HttpRequest, ikm: IKM, pk: int) -> HttpResponse:
    product = get_owned_product_or_404(request.user, pk)
    form = ProductForm(request.POST or None, instance=product)
    if form.is_valid():
        was_published = product.status == Product.Status.PUBLISHED
        try:
            product = services.product_update(product=product, user=request.user, data=form.product_data())
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            if was_published and product.review_requested_at:
                messages.success(request, _("Changes saved. The product stays public; staff will review the changes."))
            else:
                messages.success(request, _("Changes saved."))
            return redirect("catalog:owner-product-update", pk=product.pk)
    photos = list(product.photos.order_by("position"))
    return render(
        request,
        "catalog/owner/product_form.html",
        {
            "ikm": ikm,
            "form": form,
            "product": product,
            "photos": photos,
            "history": _history(product),
            "can_submit": product.status in services.SUBMITTABLE,
        },
    )


@require_POST
@owner_ikm_required
def product_submit(request: HttpRequest, ikm: IKM, pk: int) -> HttpResponse:
    product = get_owned_product_or_404(request.user, pk)
    try:
        services.product_submit(product=product, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Sent for review. Staff usually answer within two working days."))
    return redirect("catalog:owner-product-update", pk=product.pk)


@require_POST
@owner_ikm_required
def product_archive(request: HttpRequest, ikm: IKM, pk: int) -> HttpResponse:
    product = get_owned_product_or_404(request.user, pk)
    services.product_archive(product=product, user=request.user)
    messages.success(request, _("“%(name)s” is archived: it is no longer shown.") % {"name": product.name})
    return redirect("catalog:owner-product-list")


@require_POST
@owner_ikm_required
def product_unarchive(request: HttpRequest, ikm: IKM, pk: int) -> HttpResponse:
    product = get_owned_product_or_404(request.user, pk)
    try:
        services.product_unarchive(product=product, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Restored as a draft. Send it for review to publish it again."))
    return redirect("catalog:owner-product-update", pk=product.pk)


# --- Photos --------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@owner_ikm_required
def product_photos(request: HttpRequest, ikm: IKM, pk: int) -> HttpResponse:
    """Add photos (several at once) and edit their descriptions; remove and reorder post to their own URLs."""
    product = get_owned_product_or_404(request.user, pk)
    photos = ProductPhoto.objects.filter(product=product).order_by("position")
    room = ProductPhoto.MAX_PER_PRODUCT - photos.count()
    upload_form = PhotoUploadForm(room=room, prefix="upload")
    alt_formset = PhotoAltFormSet(queryset=photos, prefix="alt")
    # One page, two forms: the button pressed says which ("upload" or "describe").
    if request.method == "POST" and request.POST.get("action") != "describe":
        upload_form = PhotoUploadForm(request.POST, request.FILES, room=room, prefix="upload")
        if upload_form.is_valid():
            try:
                added = services.photos_add(
                    product=product,
                    user=request.user,
                    images=upload_form.cleaned_data["images"],
                    alt_text=upload_form.cleaned_data["alt_text"],
                )
            except ValidationError as error:
                _add_service_error(upload_form, error)
            else:
                messages.success(request, _("%(count)d photo(s) added.") % {"count": len(added)})
                return redirect("catalog:owner-product-photos", pk=product.pk)
    elif request.method == "POST":
        alt_formset = PhotoAltFormSet(request.POST, queryset=photos, prefix="alt")
        if alt_formset.is_valid():
            for form in alt_formset.forms:
                if form.has_changed() and form.instance.pk and form.instance.product_id == product.pk:
                    services.photo_update(
                        photo=form.instance, user=request.user, alt_text=form.cleaned_data["alt_text"]
                    )
            messages.success(request, _("Photo descriptions saved."))
            return redirect("catalog:owner-product-photos", pk=product.pk)
    return render(
        request,
        "catalog/owner/product_photos.html",
        {
            "ikm": ikm,
            "product": product,
            "upload_form": upload_form,
            "alt_formset": alt_formset,
            "room": room,
            "max_photos": ProductPhoto.MAX_PER_PRODUCT,
        },
    )


@require_POST
@owner_ikm_required
def photo_remove(request: HttpRequest, ikm: IKM, pk: int, photo_pk: int) -> HttpResponse:
    photo = get_owned_photo_or_404(request.user, pk, photo_pk)
    services.photo_remove(photo=photo, user=request.user)
    messages.success(request, _("Photo removed."))
    return redirect("catalog:owner-product-photos", pk=pk)


@require_POST
@owner_ikm_required
def photo_move(request: HttpRequest, ikm: IKM, pk: int, photo_pk: int) -> HttpResponse:
    photo = get_owned_photo_or_404(request.user, pk, photo_pk)
    direction = request.POST.get("direction")
    if direction in ("up", "down"):
        services.photo_move(photo=photo, user=request.user, direction=direction)
        messages.success(request, _("Photo order saved."))
    return redirect(reverse("catalog:owner-product-photos", kwargs={"pk": pk}) + f"#photo-{photo.pk}")


# --- Certificates --------------------------------------------------------------------------------


@never_cache
@require_safe
@owner_ikm_required
def certification_list(request: HttpRequest, ikm: IKM) -> HttpResponse:
    certifications = (
        Certification.objects.filter(ikm=ikm)
        .prefetch_related(Prefetch("products", queryset=Product.objects.only("pk", "name", "ikm_id").order_by("name")))
        .order_by("type", "number")
    )
    return render(request, "catalog/owner/certification_list.html", {"ikm": ikm, "certifications": certifications})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@owner_ikm_required
def certification_create(request: HttpRequest, ikm: IKM) -> HttpResponse:
    form = CertificationForm(request.POST or None, request.FILES or None, ikm=ikm)
    if form.is_valid():
        try:
            services.certification_create(
                ikm=ikm,
                user=request.user,
                data=form.certification_data(),
                products=form.cleaned_data["products"],
                document=form.cleaned_data["document"],
            )
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("Certificate saved. Staff will verify it against the scan."))
            return redirect("catalog:owner-certification-list")
    return render(request, "catalog/owner/certification_form.html", {"ikm": ikm, "form": form, "certification": None})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@owner_ikm_required
def certification_update(request: HttpRequest, ikm: IKM, pk: int) -> HttpResponse:
    certification = get_owned_certification_or_404(request.user, pk)
    form = CertificationForm(request.POST or None, request.FILES or None, instance=certification, ikm=ikm)
    if form.is_valid():
        was_checked = certification.status != Certification.Status.PENDING
        try:
            certification = services.certification_update(
                certification=certification,
                user=request.user,
                data=form.certification_data(),
                products=form.cleaned_data["products"],
                document=form.cleaned_data["document"],
            )
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            if was_checked and certification.status == Certification.Status.PENDING:
                messages.success(request, _("Changes saved. Staff will verify the certificate again."))
            else:
                messages.success(request, _("Changes saved."))
            return redirect("catalog:owner-certification-list")
    return render(
        request,
        "catalog/owner/certification_form.html",
        {"ikm": ikm, "form": form, "certification": certification, "history": _history(certification)},
    )


@never_cache
@require_safe
def certification_document(request: HttpRequest, pk: int) -> FileResponse:
    """The private scan, to its owner and to staff only (a 404 for everyone else), always as a download."""
    certification = get_certification_document_or_404(request.user, pk)
    storage = storages[services.PRIVATE_STORAGE]
    suffix = PurePosixPath(certification.document).suffix.lower()
    try:
        handle = storage.open(certification.document, "rb")
    except FileNotFoundError as error:
        raise Http404("The scan is missing.") from error
    content_type = DOCUMENT_TYPES.get(suffix, "application/octet-stream")
    filename = f"{slugify(f'sertifikat {certification.type} {certification.number}')}{suffix or '.bin'}"
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
