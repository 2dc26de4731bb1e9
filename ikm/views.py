"""IKM pages: the public directory and profile, and the owner's dashboard and profile forms under /dasbor/."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from catalog.facets import FACET_TIMEOUT, fragment_key
from catalog.models import Product
from galeri.images import rendition_url
from galeri.jsonld import breadcrumb_list, json_for_script
from galeri.page_cache import page_version, public_page
from ikm import services
from ikm.access import get_user_ikm, owner_ikm_required
from ikm.directory import directory_cards, directory_ids
from ikm.filters import IKMFilter
from ikm.forms import IKMCreateForm, IKMLinkFormSet, IKMProfileForm
from ikm.identifiers import whatsapp_link
from ikm.models import IKM
from moderation.models import Decision

DIRECTORY_PAGE_SIZE = 24
PROFILE_PRODUCTS = 12


def whatsapp_greeting(ikm: IKM) -> str:
    """The Indonesian greeting a buyer's WhatsApp message starts with, naming the site."""
    with translation.override("id"):
        return _("Hello %(name)s, I found you on %(site)s and would like to ask about your products.") % {
            "name": ikm.name,
            "site": settings.SITE_NAME,
        }


# --- Public ------------------------------------------------------------------------------------


@require_safe
@public_page(params=(*IKMFilter.base_filters, "page"))
def ikm_list(request: HttpRequest) -> HttpResponse:
    """The directory of public IKM. Queries: the regions (filter form), then the order and the cards when not cached.

    The page is chosen by ids first and only its 24 IKM get the card data (product counts, halal badge):
    SQLite evaluates the correlated subqueries of every row before sorting (199 ms at 5,000 IKM, 16 ms so).
    Both are cached with the catalog (``ikm.directory``).
    """
    filterset = IKMFilter(request.GET, queryset=IKM.objects.public())
    ids = directory_ids(filterset.qs, filterset.state)
    page = Paginator(ids, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    # Filters kept in the pagination links, without the page itself.
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ikm/ikm_list.html",
        {
            "filter": filterset,
            "page": page,
            "cards": directory_cards(list(page.object_list)),
            "query": query.urlencode(),
            # The filter form's HTML (its region list is a query) depends on what was typed in it and the language.
            "filters_key": fragment_key(
                "ikm-filters",
                translation.get_language(),
                sorted((name, values) for name, values in query.lists() if name in IKMFilter.base_filters),
            ),
            "filters_timeout": FACET_TIMEOUT,
        },
    )


def _local_business(request: HttpRequest, ikm: IKM, url: str) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "LocalBusiness",
        "name": ikm.name,
        "url": url,
        "description": ikm.tagline or ikm.story[:200],
        "address": {
            "@type": "PostalAddress",
            "streetAddress": ikm.address,
            "addressLocality": ikm.kecamatan or ikm.region.short_name,
            "addressRegion": "Lampung",
            "addressCountry": "ID",
        },
    }
    if ikm.whatsapp:
        data["telephone"] = ikm.whatsapp
    if ikm.email:
        data["email"] = ikm.email
    if ikm.latitude is not None and ikm.longitude is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": float(ikm.latitude), "longitude": float(ikm.longitude)}
    same_as = [link.url for link in ikm.links.all()]
    if ikm.website:
        same_as.insert(0, ikm.website)
    if same_as:
        data["sameAs"] = same_as
    if ikm.logo:
        data["image"] = request.build_absolute_uri(rendition_url(ikm.logo, 640))
    return data


def _breadcrumbs(ikm: IKM, url: str) -> dict:
    return breadcrumb_list(
        [
            (_("Home"), settings.SITE_URL + reverse("home")),
            (_("IKM directory"), settings.SITE_URL + reverse("ikm:ikm-list")),
            (ikm.name, url),
        ]
    )


def map_url(ikm: IKM) -> str:
    """OpenStreetMap at the coordinates when the owner gave them, else a search for the address."""
    if ikm.latitude is not None and ikm.longitude is not None:
        lat, lon = f"{ikm.latitude:f}", f"{ikm.longitude:f}"
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=16/{lat}/{lon}"
    place = ", ".join(part for part in (ikm.address, ikm.kecamatan, ikm.region.name, "Lampung") if part.strip())
    return "https://www.openstreetmap.org/search?" + urlencode({"query": place})


@require_safe
@public_page()
def ikm_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The public profile; a preview with a banner for its owner and staff while it is not public."""
    ikm = get_object_or_404(IKM.objects.select_related("region").prefetch_related("links"), slug=slug)
    is_owner = request.user.is_authenticated and ikm.owner_id == request.user.pk
    if not ikm.is_public and not (is_owner or request.user.is_staff):
        raise Http404
    # Ids only: the cards are rendered and cached by {% product_cards %} (1 query when cached, 3 when not). The
    # ids are cached with the catalog, whose version every product or IKM change bumps.
    products = cache.get_or_set(
        fragment_key("ikm-products", ikm.pk),
        lambda: list(Product.objects.published().filter(ikm=ikm).values_list("pk", flat=True)[:PROFILE_PRODUCTS]),
        FACET_TIMEOUT,
    )
    url = settings.SITE_URL + ikm.get_absolute_url()
    og_image = request.build_absolute_uri(rendition_url(ikm.cover or ikm.logo, 1280)) if ikm.cover or ikm.logo else ""
    return render(
        request,
        "ikm/ikm_detail.html",
        {
            "ikm": ikm,
            "products": products,
            "is_owner": is_owner,
            "json_ld": json_for_script(_local_business(request, ikm, url)),
            "breadcrumbs": _breadcrumbs(ikm, url),
            "canonical_url": url,
            "og_image": og_image,
            "map_url": map_url(ikm),
            # The counted button (inquiries) serves public pages; a preview links straight to WhatsApp.
            "whatsapp_url": whatsapp_link(ikm.whatsapp, whatsapp_greeting(ikm)) if ikm.whatsapp else "",
            # A public profile's cover, story and contacts change only with the IKM (the catalog's version) or its
            # shop links (the pages'): cached as one fragment per language. A preview is rendered every time.
            "profile_key": (page_version(), translation.get_language(), ikm.pk) if ikm.is_public else None,
            "fragment_timeout": FACET_TIMEOUT,
        },
    )


# --- Owner -------------------------------------------------------------------------------------


@owner_ikm_required
@require_safe
def dashboard(request: HttpRequest, ikm: IKM) -> HttpResponse:
    decisions = list(Decision.objects.for_object(ikm)[:20])
    labels = {**dict(IKM.Status.choices), "suspended": _("Suspended")}
    for decision in decisions:
        decision.to_label = labels.get(decision.to_status, decision.to_status)
    return render(
        request,
        "ikm/dashboard.html",
        {
            "ikm": ikm,
            "readiness": ikm.readiness(),
            "decisions": decisions,
            "can_submit": ikm.status in services.SUBMITTABLE,
            "missing": services.missing_for_submission(ikm),
        },
    )


@login_required
def profile_create(request: HttpRequest) -> HttpResponse:
    # Staff decide on IKM: owning one, they would verify their own (create_moderator refuses an owner
    # for the same reason). Their place is the admin, as owner_ikm_required says.
    if request.user.is_staff:
        return redirect("admin:index")
    if get_user_ikm(request.user) is not None:
        return redirect("ikm:dashboard")
    form = IKMCreateForm(request.POST or None)
    if form.is_valid():
        try:
            services.ikm_create(owner=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your IKM profile is created. Complete it, then send it for verification."))
            return redirect("ikm:profile-edit")
    return render(request, "ikm/profile_create.html", {"form": form})


@owner_ikm_required
def profile_edit(request: HttpRequest, ikm: IKM) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = IKMProfileForm(data, files, instance=ikm)
    links = IKMLinkFormSet(data, instance=ikm, prefix="links")
    if request.method == "POST":
        # Both validated, so every error shows at once.
        if all([form.is_valid(), links.is_valid()]):
            services.ikm_profile_update(
                ikm=form.instance,
                logo=form.cleaned_data.get("logo") or None,
                remove_logo=form.cleaned_data.get("remove_logo", False),
                cover=form.cleaned_data.get("cover") or None,
                remove_cover=form.cleaned_data.get("remove_cover", False),
                links=links,
            )
            messages.success(request, _("Your profile is saved."))
            return redirect("ikm:profile-edit")
        form.ask_to_choose_images_again()
    return render(request, "ikm/profile_form.html", {"ikm": ikm, "form": form, "links": links})


@owner_ikm_required
@require_POST
def profile_submit(request: HttpRequest, ikm: IKM) -> HttpResponse:
    try:
        services.ikm_submit(ikm=ikm, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else _("Not allowed.")
        messages.error(request, text)
    else:
        messages.success(request, _("Your profile is sent. Staff will check it and tell you by email."))
    return redirect("ikm:dashboard")
