"""What is waiting for staff: the counts on the admin index, each linking to its changelist, oldest first.

Five queries for all seven queues (one count per model; products and certificates count two queues at
once), and none for a model the user may not view. A queue's link filters with plain field lookups (or
the owning admin's own filter where one exists) and sorts by the queue's date column when that column is
in the list, using the changelist's ``o`` parameter; otherwise the list keeps its default order.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib import admin
from django.db.models import Count, Model, Q
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _


@dataclass
class Queue:
    key: str
    label: str
    count: int
    url: str = ""
    help: str = ""


def _ordering_param(model_admin: admin.ModelAdmin, request: HttpRequest, field_name: str) -> str:
    """The changelist's ``o`` value sorting ascending by ``field_name``, or "" when it is not a sortable column."""
    list_display = list(model_admin.get_list_display(request))
    if model_admin.get_actions(request):
        list_display = ["action_checkbox", *list_display]
    if field_name not in list_display:
        return ""
    sortable_by = model_admin.get_sortable_by(request)
    if sortable_by is not None and field_name not in sortable_by:
        return ""
    return str(list_display.index(field_name))


def changelist_url(
    model: type[Model], request: HttpRequest, params: dict[str, str], *, oldest_by: str = "", site: admin.AdminSite
) -> str:
    """The model's changelist filtered by ``params`` and sorted oldest first, or "" if it is not in the admin."""
    model_admin = site._registry.get(model)
    if model_admin is None:
        return ""
    opts = model._meta
    try:
        url = reverse(f"{site.name}:{opts.app_label}_{opts.model_name}_changelist")
    except NoReverseMatch:
        return ""
    query = dict(params)
    if oldest_by:
        order = _ordering_param(model_admin, request, oldest_by)
        if order:
            query["o"] = order
    return f"{url}?{urlencode(query)}"


def moderation_queues(request: HttpRequest, *, site: admin.AdminSite | None = None, today: dt.date | None = None):
    """The queues this user may see, in the order of a day's work."""
    from catalog.models import Certification, Product
    from exhibitions.models import ExhibitorApplication
    from ikm.models import IKM
    from moderation.models import Report

    site = site or admin.site
    user = request.user
    today = today or timezone.localdate()
    queues: list[Queue] = []

    if user.has_perm("ikm.view_ikm"):
        queues.append(
            Queue(
                "ikm",
                _("IKM to verify"),
                IKM.objects.filter(status=IKM.Status.SUBMITTED).count(),
                changelist_url(
                    IKM, request, {"status__exact": IKM.Status.SUBMITTED}, oldest_by="submitted_at", site=site
                ),
                _("Profiles submitted for verification."),
            )
        )
    if user.has_perm("catalog.view_product"):
        edited = Q(status=Product.Status.PUBLISHED, review_requested_at__isnull=False)
        counts = Product.objects.filter(Q(status=Product.Status.PENDING) | edited).aggregate(
            new=Count("pk", filter=Q(status=Product.Status.PENDING)), edited=Count("pk", filter=edited)
        )
        queues += [
            Queue(
                "products-new",
                _("New products to review"),
                counts["new"],
                changelist_url(Product, request, {"queue": "new"}, oldest_by="submitted_at", site=site),
                _("Waiting for review before they are published."),
            ),
            Queue(
                "products-edited",
                _("Edited products to re-review"),
                counts["edited"],
                changelist_url(Product, request, {"queue": "edited"}, oldest_by="review_requested_at", site=site),
                _("Published products their owners changed since approval; they stay public meanwhile."),
            ),
        ]
    if user.has_perm("catalog.view_certification"):
        expired = Q(status=Certification.Status.VERIFIED, expires_on__lt=today)
        counts = Certification.objects.filter(Q(status=Certification.Status.PENDING) | expired).aggregate(
            pending=Count("pk", filter=Q(status=Certification.Status.PENDING)), expired=Count("pk", filter=expired)
        )
        queues += [
            Queue(
                "certifications",
                _("Certificates to verify"),
                counts["pending"],
                changelist_url(
                    Certification,
                    request,
                    {"status__exact": Certification.Status.PENDING},
                    oldest_by="created_at",
                    site=site,
                ),
                _("Check the number at the issuer and the scan."),
            ),
            Queue(
                "certifications-expired",
                _("Expired certificates"),
                counts["expired"],
                changelist_url(
                    Certification,
                    request,
                    {"status__exact": Certification.Status.VERIFIED, "expires_on__lt": today.isoformat()},
                    oldest_by="expires_on",
                    site=site,
                ),
                _("Verified but past their expiry date: no longer shown as badges. Owners were reminded."),
            ),
        ]
    if user.has_perm("exhibitions.view_exhibitorapplication"):
        queues.append(
            Queue(
                "applications",
                _("Exhibitor applications"),
                ExhibitorApplication.objects.filter(status=ExhibitorApplication.Status.SUBMITTED).count(),
                changelist_url(
                    ExhibitorApplication,
                    request,
                    {"status__exact": ExhibitorApplication.Status.SUBMITTED},
                    oldest_by="submitted_at",
                    site=site,
                ),
                _("Applications to accept, waitlist or reject."),
            )
        )
    if user.has_perm("moderation.view_report"):
        queues.append(
            Queue(
                "reports",
                _("Reports from the public"),
                Report.objects.open().count(),
                changelist_url(
                    Report, request, {"status__exact": Report.Status.OPEN}, oldest_by="created_at", site=site
                ),
                _("Wrong information, fake certificates or prohibited products reported by visitors."),
            )
        )
    return queues
