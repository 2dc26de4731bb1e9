"""The province's events (exhibitions, festivals, competitions, business matching, trainings) and who takes part."""

import datetime as dt
import zoneinfo
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Product
from ikm.models import IKM, Region

# Events happen in Lampung: their times are shown and exported in Western Indonesia Time.
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")

# Slugs that would collide with fixed addresses under /acara/ (the calendar feed is /acara/kalender.ics).
RESERVED_SLUGS = frozenset({"kalender"})


def validate_event_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(_("This address is reserved; choose another slug."), code="reserved")


class EventQuerySet(models.QuerySet["Event"]):
    def published(self) -> "EventQuerySet":
        """Published and going ahead."""
        return self.filter(status=Event.Status.PUBLISHED)

    def public(self) -> "EventQuerySet":
        """What the public sees: published events, and cancelled ones (which stay visible, marked cancelled)."""
        return self.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])

    def upcoming(self, now: dt.datetime | None = None) -> "EventQuerySet":
        return self.filter(starts_at__gt=now or timezone.now())

    def ongoing(self, now: dt.datetime | None = None) -> "EventQuerySet":
        now = now or timezone.now()
        return self.filter(starts_at__lte=now, ends_at__gte=now)

    def past(self, now: dt.datetime | None = None) -> "EventQuerySet":
        return self.filter(ends_at__lt=now or timezone.now())

    def current(self, now: dt.datetime | None = None) -> "EventQuerySet":
        """Upcoming or ongoing: not ended yet."""
        return self.filter(ends_at__gte=now or timezone.now())

    def accepting_applications(self, now: dt.datetime | None = None) -> "EventQuerySet":
        """Published events whose exhibitor application window is open now."""
        now = now or timezone.now()
        return self.published().filter(applications_open_at__lte=now, applications_close_at__gte=now)

    def in_listing_order(self, now: dt.datetime | None = None) -> "EventQuerySet":
        """Upcoming and ongoing events first (soonest first), then past events (most recent first).

        Annotates ``has_ended`` so a template can split the page into the two groups.
        """
        now = now or timezone.now()
        return self.annotate(
            has_ended=Case(
                When(ends_at__lt=now, then=Value(True)), default=Value(False), output_field=models.BooleanField()
            )
        ).order_by(
            "has_ended",
            Case(When(has_ended=False, then=F("starts_at"))).asc(),
            Case(When(has_ended=True, then=F("starts_at"))).desc(),
            "pk",
        )

    def with_card_data(self) -> "EventQuerySet":
        """Everything an event card shows, in one query."""
        return self.select_related("region")


class Event(models.Model):
    class Kind(models.TextChoices):
        PAMERAN = "pameran", _("Exhibition")
        FESTIVAL = "festival", _("Festival")
        BAZAR = "bazar", _("Bazaar")
        LOMBA = "lomba", _("Competition")
        TEMU_BISNIS = "temu_bisnis", _("Business matching")
        PELATIHAN = "pelatihan", _("Training")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    class AttendanceMode(models.TextChoices):
        OFFLINE = "offline", _("In person")
        ONLINE = "online", _("Online")
        MIXED = "mixed", _("In person and online")

    # Kinds shown as schema.org ExhibitionEvent; the others are a plain Event.
    EXHIBITION_KINDS = frozenset({Kind.PAMERAN, Kind.FESTIVAL, Kind.BAZAR})

    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    title = models.CharField(_("title"), max_length=160)
    slug = models.SlugField(
        _("slug"),
        max_length=180,
        unique=True,
        validators=[validate_event_slug],
        help_text=_("Part of the public address; stable once published."),
    )
    summary = models.CharField(
        _("summary"), max_length=300, blank=True, help_text=_("One or two sentences for cards and search engines.")
    )
    description = models.TextField(
        _("description"),
        max_length=10000,
        blank=True,
        help_text=_("Plain text; separate paragraphs with an empty line."),
    )
    # Images go through galeri.images: we keep the stored name and the size of the normalised original.
    banner = models.CharField(_("banner image"), max_length=255, blank=True)
    banner_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    banner_height = models.PositiveIntegerField(null=True, blank=True, editable=False)

    starts_at = models.DateTimeField(_("starts"), help_text=_("Western Indonesia Time (WIB)."))
    ends_at = models.DateTimeField(_("ends"), help_text=_("Western Indonesia Time (WIB)."))

    attendance_mode = models.CharField(
        _("attendance"), max_length=8, choices=AttendanceMode, default=AttendanceMode.OFFLINE
    )
    venue_name = models.CharField(_("venue"), max_length=160, blank=True)
    venue_address = models.CharField(_("venue address"), max_length=255, blank=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("regency or city"),
        help_text=_("Required for events held in person."),
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    online_url = models.URLField(
        _("online link"), max_length=500, blank=True, help_text=_("Required for online and hybrid events.")
    )
    organiser = models.CharField(
        _("organiser"), max_length=200, help_text=_("E.g. Disperindag Provinsi Lampung, Dekranasda Provinsi Lampung.")
    )
    organiser_url = models.URLField(_("organiser's website"), max_length=500, blank=True)

    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    cancellation_note = models.TextField(
        _("cancellation note"), max_length=2000, blank=True, help_text=_("Shown on the page of a cancelled event.")
    )

    applications_open_at = models.DateTimeField(
        _("applications open"), null=True, blank=True, help_text=_("Leave both empty when IKM do not apply.")
    )
    applications_close_at = models.DateTimeField(_("applications close"), null=True, blank=True)
    places = models.PositiveIntegerField(
        _("exhibitor places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["pameran", "festival", "bazar", "lomba", "temu_bisnis", "pelatihan"]),
                name="exhibitions_event_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "cancelled"]), name="exhibitions_event_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(attendance_mode__in=["offline", "online", "mixed"]),
                name="exhibitions_event_attendance_mode_valid",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="exhibitions_event_ends_not_before_start"
            ),
            models.CheckConstraint(
                condition=Q(attendance_mode="offline") | ~Q(online_url=""),
                name="exhibitions_event_online_has_link",
            ),
            models.CheckConstraint(
                condition=Q(attendance_mode="online") | (~Q(venue_name="") & Q(region__isnull=False)),
                name="exhibitions_event_in_person_has_venue",
            ),
            models.CheckConstraint(
                condition=Q(applications_open_at__isnull=True, applications_close_at__isnull=True)
                | Q(
                    applications_open_at__isnull=False,
                    applications_close_at__isnull=False,
                    applications_close_at__gte=F("applications_open_at"),
                ),
                name="exhibitions_event_application_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(places__isnull=True) | Q(places__gt=0), name="exhibitions_event_places_positive"
            ),
            # Both or neither. The isnull terms matter: a CHECK passes when it evaluates to NULL, so without
            # them a latitude with no longitude (NULL >= -180 is NULL) slipped through.
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="exhibitions_event_coordinates_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="exhibitions_event_published_has_date",
            ),
        ]
        indexes = [
            # /acara/ and the calendar feed: public events ordered or filtered by their dates.
            models.Index(fields=["status", "starts_at"], name="exhibitions_event_starts_idx"),
            models.Index(fields=["status", "ends_at"], name="exhibitions_event_ends_idx"),
            # The owner dashboard's open calls: published events whose window contains now.
            models.Index(
                fields=["status", "applications_close_at", "applications_open_at"], name="exhibitions_event_window_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exhibitions:event-detail", kwargs={"slug": self.slug})

    def get_ics_url(self) -> str:
        return reverse("exhibitions:event-ics", kwargs={"slug": self.slug})

    def clean(self) -> None:
        """Friendly messages for the rules the database enforces anyway."""
        errors: dict[str, ValidationError] = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = ValidationError(_("The event cannot end before it starts."), code="ends_before_start")
        if self.attendance_mode != self.AttendanceMode.OFFLINE and not self.online_url:
            errors["online_url"] = ValidationError(_("Online and hybrid events need an online link."), code="required")
        if self.attendance_mode != self.AttendanceMode.ONLINE:
            if not self.venue_name:
                errors["venue_name"] = ValidationError(_("Events held in person need a venue."), code="required")
            if self.region_id is None:
                errors["region"] = ValidationError(_("Events held in person need a regency or city."), code="required")
        if (self.applications_open_at is None) != (self.applications_close_at is None):
            errors["applications_close_at"] = ValidationError(
                _("Give both the opening and the closing of applications, or neither."), code="window_incomplete"
            )
        elif self.applications_open_at and self.applications_close_at < self.applications_open_at:
            errors["applications_close_at"] = ValidationError(
                _("Applications cannot close before they open."), code="window_reversed"
            )
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = ValidationError(
                _("Give both latitude and longitude, or neither."), code="coordinates_incomplete"
            )
        if errors:
            raise ValidationError(errors)

    # --- Reading the event -------------------------------------------------------------------

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_public(self) -> bool:
        return self.status in (self.Status.PUBLISHED, self.Status.CANCELLED)

    @property
    def is_exhibition(self) -> bool:
        return self.kind in self.EXHIBITION_KINDS

    @property
    def starts_wib(self) -> dt.datetime:
        return self.starts_at.astimezone(WIB)

    @property
    def ends_wib(self) -> dt.datetime:
        return self.ends_at.astimezone(WIB)

    @property
    def is_in_person(self) -> bool:
        return self.attendance_mode != self.AttendanceMode.ONLINE

    @property
    def is_online(self) -> bool:
        return self.attendance_mode != self.AttendanceMode.OFFLINE

    @property
    def has_application_window(self) -> bool:
        return self.applications_open_at is not None and self.applications_close_at is not None

    def is_past(self, now: dt.datetime | None = None) -> bool:
        return self.ends_at < (now or timezone.now())

    def is_ongoing(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now <= self.ends_at

    def is_application_window_open(self, now: dt.datetime | None = None) -> bool:
        """Applications are taken while the event is published and now is inside the window (bounds included)."""
        if not (self.is_published and self.has_application_window):
            return False
        now = now or timezone.now()
        return self.applications_open_at <= now <= self.applications_close_at

    def application_window_state(self, now: dt.datetime | None = None) -> str:
        """ "none", "not_yet", "open" or "closed": what the event page says about applying."""
        if not self.has_application_window or not self.is_published:
            return "none"
        now = now or timezone.now()
        if now < self.applications_open_at:
            return "not_yet"
        if now > self.applications_close_at:
            return "closed"
        return "open"

    @property
    def location_text(self) -> str:
        """One line for calendars: "Venue, address, Kota Bandar Lampung, Lampung" (or the online link)."""
        if not self.is_in_person:
            return self.online_url
        parts = [self.venue_name, self.venue_address, self.region.name if self.region_id else "", "Lampung"]
        return ", ".join(p for p in parts if p)

    @property
    def map_url(self) -> str:
        """An OpenStreetMap link: the exact point when known, else a search for the venue."""
        if not self.is_in_person:
            return ""
        if self.latitude is not None and self.longitude is not None:
            return f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}#map=17/{self.latitude}/{self.longitude}"
        return "https://www.openstreetmap.org/search?" + urlencode({"query": self.location_text})


class ProgrammeItem(models.Model):
    """One entry of an event's programme: "09.00 Pembukaan, Panggung utama"."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="programme_items", verbose_name=_("event"))
    starts_at = models.DateTimeField(_("time"), help_text=_("Western Indonesia Time (WIB)."))
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(_("place"), max_length=160, blank=True, help_text=_("E.g. main stage, room 2."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme")
        ordering = ["event_id", "starts_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.event.get_absolute_url()

    @property
    def starts_wib(self) -> dt.datetime:
        return self.starts_at.astimezone(WIB)


class ExhibitorApplicationQuerySet(models.QuerySet["ExhibitorApplication"]):
    def accepted(self) -> "ExhibitorApplicationQuerySet":
        return self.filter(status=ExhibitorApplication.Status.ACCEPTED)

    def active(self) -> "ExhibitorApplicationQuerySet":
        """Not withdrawn and not rejected: still in the running or accepted."""
        return self.filter(
            status__in=[
                ExhibitorApplication.Status.SUBMITTED,
                ExhibitorApplication.Status.WAITLISTED,
                ExhibitorApplication.Status.ACCEPTED,
            ]
        )


class ExhibitorApplication(models.Model):
    """An IKM asking to exhibit at an event, with up to five of its published products."""

    MAX_PRODUCTS = 5

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("Waitlisted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="applications", verbose_name=_("event"))
    ikm = models.ForeignKey(IKM, on_delete=models.CASCADE, related_name="exhibitor_applications", verbose_name=_("IKM"))
    products = models.ManyToManyField(
        Product, related_name="exhibitor_applications", blank=True, verbose_name=_("products to show")
    )
    note = models.TextField(
        _("note to the organisers"), max_length=1000, blank=True, help_text=_("What you will show or need (optional).")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.SUBMITTED)
    reason = models.TextField(
        _("reason"), max_length=2000, blank=True, help_text=_("Required when rejecting; the owner sees it.")
    )
    booth = models.CharField(_("booth number"), max_length=20, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ExhibitorApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("exhibitor application")
        verbose_name_plural = _("exhibitor applications")
        ordering = ["event_id", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "ikm"], name="exhibitions_application_one_per_ikm"),
            models.UniqueConstraint(
                fields=["event", "booth"], condition=~Q(booth=""), name="exhibitions_application_booth_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "accepted", "waitlisted", "rejected", "withdrawn"]),
                name="exhibitions_application_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""), name="exhibitions_application_rejected_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["accepted", "waitlisted", "rejected"]) | Q(decided_at__isnull=False),
                name="exhibitions_application_decision_has_date",
            ),
        ]
        indexes = [
            # Counting an event's accepted exhibitors (place limit) and listing them on the event page.
            models.Index(fields=["event", "status"], name="exhibitions_app_event_idx"),
            # An IKM's events (IKM page, dashboard).
            models.Index(fields=["ikm", "status"], name="exhibitions_app_ikm_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ikm} — {self.event}"

    def get_absolute_url(self) -> str:
        return self.event.get_absolute_url()

    def clean(self) -> None:
        if self.status == self.Status.REJECTED and not self.reason.strip():
            message = _("Give the owner a reason for the rejection.")
            raise ValidationError({"reason": ValidationError(message, code="required")})

    @property
    def is_open_to_withdraw(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.WAITLISTED, self.Status.ACCEPTED)


class Award(models.Model):
    """A prize at a competition or festival: "Juara 1" in "Kopi Robusta", won by an IKM (and maybe one product)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="awards", verbose_name=_("event"))
    category = models.CharField(
        _("category"), max_length=120, blank=True, help_text=_("E.g. Kopi Robusta; empty for a single category.")
    )
    title = models.CharField(_("title"), max_length=80, help_text=_("E.g. Juara 1, Harapan 1, Favorit."))
    ikm = models.ForeignKey(IKM, on_delete=models.CASCADE, related_name="awards", verbose_name=_("winning IKM"))
    product = models.ForeignKey(
        Product,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("winning product"),
        help_text=_("Optional; must be a product of the winning IKM."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0, help_text=_("Lower numbers come first."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["event_id", "category", "position", "pk"]
        indexes = [
            # Badges on IKM and product pages.
            models.Index(fields=["ikm"], name="exhibitions_award_ikm_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.category}".strip() + f": {self.ikm}"

    def get_absolute_url(self) -> str:
        return self.event.get_absolute_url()

    def clean(self) -> None:
        if self.product_id is not None and self.ikm_id is not None and self.product.ikm_id != self.ikm_id:
            message = _("The product must belong to the winning IKM.")
            raise ValidationError({"product": ValidationError(message, code="not_own_product")})
