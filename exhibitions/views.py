"""Public event pages, calendar files, and the owner's apply/withdraw flow."""

import datetime as dt
import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, FilteredRelation, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from catalog.models import Product
from exhibitions import calendar, jsonld, services
from exhibitions.filters import EventFilter
from exhibitions.forms import ApplicationForm
from exhibitions.models import Event, ExhibitorApplication
from galeri.images import rendition_url
from galeri.jsonld import breadcrumb_list
from galeri.page_cache import page_version, public_page
from ikm.models import IKM

Status = ExhibitorApplication.Status
EVENTS_PER_PAGE = 24
# Event pages change with the clock (upcoming, ongoing, past; applications open or closed): what they show
# may lag behind it by at most STATED_DELAY seconds. A whole page cached for anonymous visitors
# (galeri.page_cache) can be rendered from fragments cached just before, so each layer keeps half of it.
STATED_DELAY = 60
PAGE_MAX_AGE = FRAGMENT_MAX_AGE = STATED_DELAY // 2
# The event page shows this many of the exhibitors' chosen products; each exhibitor card links to the rest.
FEATURED_PRODUCTS = 24
# The feed keeps recently ended events a while, so a subscribed calendar does not lose last week's event.
FEED_KEEPS_PAST = dt.timedelta(days=30)
FEED_MAX_EVENTS = 500


def _visible_event_or_404(request: HttpRequest, slug: str) -> Event:
    """Published and cancelled events for everyone; drafts only for staff (a preview)."""
    events = Event.objects.select_related("region")
    if not request.user.is_staff:
        events = events.public()
    return get_object_or_404(events, slug=slug)


def _owned_ikm(user: object, *, event: Event | None = None) -> IKM | None:
    """The signed-in user's IKM, if any (one account owns at most one), in one query.

    Annotated with ``published_product_count``; with ``event``, also ``event_application``: its application
    to that event or None (a filtered join, at most one row thanks to the one-per-IKM constraint).
    """
    if not getattr(user, "is_authenticated", False):
        return None
    published = (
        Product.objects.filter(ikm=OuterRef("pk"), status=Product.Status.PUBLISHED)
        .order_by()
        .values("ikm")
        .annotate(n=Count("pk"))
        .values("n")
    )
    ikms = IKM.objects.filter(owner=user).annotate(published_product_count=Coalesce(Subquery(published), 0))
    if event is not None:
        ikms = ikms.annotate(
            event_application=FilteredRelation(
                "exhibitor_applications", condition=Q(exhibitor_applications__event=event)
            )
        ).select_related("event_application")
    ikm = ikms.first()
    if ikm is not None and event is not None:
        # Without a matching row the joined object is simply not set.
        application = getattr(ikm, "event_application", None)
        if application is not None:
            application.ikm, application.event = ikm, event
        ikm.event_application = application
    return ikm


def get_owned_application_or_404(user: object, *, event_slug: str) -> ExhibitorApplication:
    """The user's own IKM's application to an event; anyone else gets a 404, never a hint that it exists."""
    return get_object_or_404(
        ExhibitorApplication.objects.select_related("event", "ikm"), event__slug=event_slug, ikm__owner=user
    )


@require_safe
@public_page(params=(*EventFilter.base_filters, "page"), max_age=PAGE_MAX_AGE)
def event_list(request: HttpRequest) -> HttpResponse:
    """Upcoming and ongoing events first (soonest first), then past ones (most recent first).

    One query: the page's events by id. The years (for the filter), the order of the whole filtered list (a few
    hundred events at most, so paging costs no COUNT), the filter form and the cards are cached under the pages'
    version, which every change to an event bumps, for at most FRAGMENT_MAX_AGE (whether an event has ended,
    and the cards' badges, follow the clock).
    """
    version = page_version()
    years = cache.get_or_set(
        f"events:years:{version}",
        lambda: [day.year for day in Event.objects.public().dates("starts_at", "year", order="DESC")],
        FRAGMENT_MAX_AGE,
    )
    filterset = EventFilter(request.GET or None, queryset=Event.objects.public().in_listing_order(), years=years)
    state = hashlib.sha256(repr(filterset.state).encode()).hexdigest()[:32]
    listing = cache.get_or_set(
        f"events:listing:{version}:{state}",
        lambda: list(filterset.qs.values_list("pk", "has_ended")),
        FRAGMENT_MAX_AGE,
    )
    page = Paginator(listing, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    found = Event.objects.with_card_data().in_bulk([pk for pk, _has_ended in page.object_list])
    events = []
    for pk, has_ended in page.object_list:
        if pk in found:  # deleted since the order was cached: left out, not an error
            found[pk].has_ended = has_ended
            events.append(found[pk])
    return render(
        request,
        "exhibitions/event_list.html",
        {
            "filter": filterset,
            "page": page,
            "events": events,
            "current_events": [e for e in events if not e.has_ended],
            "past_events": [e for e in events if e.has_ended],
            "is_filtered": any(request.GET.get(name) for name in ("kind", "region", "year")),
            "fragment_timeout": FRAGMENT_MAX_AGE,
            "filters_key": (
                version,
                get_language(),
                sorted((name, values) for name, values in request.GET.lists() if name in EventFilter.base_filters),
            ),
            "cards_key": (version, get_language(), [(e.pk, e.has_ended) for e in events]),
        },
    )


@require_safe
@public_page(max_age=PAGE_MAX_AGE)
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The event page. A fixed number of queries whatever the number of exhibitors and products.

    Three or four when its sections are cached (the event, the products on show and their check), seven when not.
    """
    event = _visible_event_or_404(request, slug)
    now = timezone.now()
    # Unevaluated: the template reads them only inside the sections' cached fragment (below).
    programme = event.programme_items.all()
    exhibitors = (
        event.applications.accepted()
        .filter(ikm__status=IKM.Status.VERIFIED, ikm__is_suspended=False)
        .select_related("ikm__region")
        .order_by("ikm__name", "pk")
    )
    # Ids only: the cards are rendered and cached by {% product_cards %} (1 query when cached, 3 when not).
    # An IN subquery, not a join: SQLite walked every published product in date order looking for the
    # event's few (118 ms at 50,000 products, 6 ms so).
    shown = ExhibitorApplication.products.through.objects.filter(
        exhibitorapplication__event=event, exhibitorapplication__status=ExhibitorApplication.Status.ACCEPTED
    ).values("product_id")
    featured_products = list(
        Product.objects.published().filter(pk__in=shown).values_list("pk", flat=True)[:FEATURED_PRODUCTS]
    )
    awards = event.awards.select_related("ikm", "product__ikm")

    window = event.application_window_state(now)
    banner = _banner_url(request, event)
    owner_ikm = _owned_ikm(request.user, event=event)
    application = owner_ikm.event_application if owner_ikm is not None else None
    form = None
    if owner_ikm is not None and event.has_application_window:
        can_apply = application is None or application.status == ExhibitorApplication.Status.WITHDRAWN
        if window == "open" and owner_ikm.is_public and can_apply:
            form = ApplicationForm(ikm=owner_ikm)

    return render(
        request,
        "exhibitions/event_detail.html",
        {
            "event": event,
            "programme": programme,
            "exhibitors": exhibitors,
            "featured_products": featured_products,
            "awards": awards,
            "window": window,
            # Past events only mention applying to an owner who applied.
            "show_apply": application is not None or (window != "none" and not event.is_past(now)),
            "owner_ikm": owner_ikm,
            "application": application,
            "form": form,
            "is_past": event.is_past(now),
            "is_ongoing": event.is_ongoing(now),
            "multi_day": event.starts_wib.date() != event.ends_wib.date(),
            # The programme, winners and exhibitors change only with the event's rows (the pages' version) or
            # an IKM's or product's state (the catalog's, also in the version): cached for FRAGMENT_MAX_AGE.
            "sections_key": (page_version(), get_language(), event.pk),
            "fragment_timeout": FRAGMENT_MAX_AGE,
            "jsonld": jsonld.to_script_json(
                jsonld.event_data(event, absolute=request.build_absolute_uri, image_url=banner)
            ),
            "og_image": banner,
            "breadcrumbs": breadcrumb_list(
                [
                    (_("Home"), request.build_absolute_uri(reverse("home"))),
                    (_("Events"), request.build_absolute_uri(reverse("exhibitions:event-list"))),
                    (event.title, request.build_absolute_uri(event.get_absolute_url())),
                ]
            ),
        },
    )


def _banner_url(request: HttpRequest, event: Event) -> str:
    """The banner's absolute URL for JSON-LD, or "" when the event has none."""
    if not event.banner:
        return ""
    return request.build_absolute_uri(rendition_url(event.banner, 1280))


@login_required
@require_http_methods(["GET", "POST"])
def event_apply(request: HttpRequest, slug: str) -> HttpResponse:
    """An owner applies for its IKM: up to five of its published products and a note."""
    event = get_object_or_404(Event.objects.public().select_related("region"), slug=slug)
    ikm = _owned_ikm(request.user)
    if ikm is None:
        messages.error(request, _("To exhibit, register your IKM first; once it is verified you can apply."))
        return redirect(event)
    if not ikm.is_public:
        messages.error(
            request, _("Only a verified IKM can apply. Your IKM profile is not verified yet (or is suspended).")
        )
        return redirect(event)
    application = ExhibitorApplication.objects.filter(event=event, ikm=ikm).first()
    if application is not None and application.status != ExhibitorApplication.Status.WITHDRAWN:
        messages.info(
            request, _("Your IKM has already applied: %(status)s.") % {"status": application.get_status_display()}
        )
        return redirect(event)
    if not event.is_application_window_open():
        messages.error(request, _("Applications for this event are not open."))
        return redirect(event)

    form = ApplicationForm(request.POST or None, ikm=ikm)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(
                event=event,
                ikm=ikm,
                user=request.user,
                products=form.cleaned_data["products"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Your application has been sent. You can follow its status on your dashboard."))
            return redirect(event)
    return render(request, "exhibitions/event_apply.html", {"event": event, "ikm": ikm, "form": form})


def _add_service_errors(form: ApplicationForm, exc: ValidationError) -> None:
    """Show a service's refusal next to the field it names, or at the top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_POST
def application_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    """The owner withdraws its IKM's application while the window is open."""
    application = get_owned_application_or_404(request.user, event_slug=slug)
    try:
        services.application_withdraw(application=application, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your application has been withdrawn."))
    next_url = request.POST.get("next", "")
    # A path on this site only; and a URL, never a view name (redirect() would try to reverse "-1": a 500).
    if next_url.startswith("/") and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(next_url)
    return redirect(application.event)


def _calendar_response(body: bytes, *, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Tambahkan ke kalender": the event as an .ics file."""
    event = _visible_event_or_404(request, slug)
    return _calendar_response(calendar.event_ics(event, absolute=request.build_absolute_uri), filename=f"{slug}.ics")


@require_safe
@cache_control(max_age=900, public=True)
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """Upcoming and ongoing public events (and those ended in the last 30 days) as a subscribable calendar.

    ?kind= and ?region= narrow it, like the list. Cancelled events stay in it with STATUS:CANCELLED,
    so subscribed calendars show the cancellation instead of silently dropping the event.
    """
    events = Event.objects.public().filter(ends_at__gte=timezone.now() - FEED_KEEPS_PAST).with_card_data()
    filterset = EventFilter(request.GET or None, queryset=events)
    if "year" in filterset.filters:
        del filterset.filters["year"]
    events = filterset.qs.order_by("starts_at", "pk")[:FEED_MAX_EVENTS]
    name = _("Events — %(site)s") % {"site": settings.SITE_NAME}
    return _calendar_response(calendar.feed_ics(events, absolute=request.build_absolute_uri, name=name))
