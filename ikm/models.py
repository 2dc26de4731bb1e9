"""Who makes things in Lampung: regions, sectors and the IKM business profile."""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Length
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ikm.identifiers import URL_MAX_LENGTH, Platform, validate_kbli, validate_nib


class Sector(models.TextChoices):
    """The seven IKM sectors of Ditjen IKMA (Ministry of Industry), as provincial IKM databases use them."""

    PANGAN = "pangan", _("Food and drink")
    SANDANG = "sandang", _("Textiles, clothing and leather")
    KAYU_FURNITUR = "kayu_furnitur", _("Wood and furniture")
    KERAJINAN = "kerajinan", _("Crafts")
    LOGAM_ELEKTRONIKA = "logam_elektronika", _("Metal, machinery, electronics and transport")
    KIMIA_BAHAN_BANGUNAN = "kimia_bahan_bangunan", _("Chemicals, cosmetics and building materials")
    ANEKA = "aneka", _("Other industries")


class Region(models.Model):
    """One of the 15 kabupaten/kota of Lampung (loaded by a data migration, never edited by users).

    The primary key is the Kemendagri code ("18.71"), which is what URLs filter by.
    """

    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", _("Regency")
        KOTA = "kota", _("City")

    code = models.CharField(_("Kemendagri code"), max_length=5, primary_key=True)
    bps_code = models.CharField(_("BPS code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    seat = models.CharField(_("seat"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("regency or city")
        verbose_name_plural = _("regencies and cities")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["kabupaten", "kota"]), name="ikm_region_kind_valid"),
            models.CheckConstraint(condition=Q(code__startswith="18."), name="ikm_region_code_in_lampung"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        """ "Lampung Selatan", "Bandar Lampung": what a card has room for."""
        return self.name.removeprefix("Kabupaten ").removeprefix("Kota ")


class IKMQuerySet(models.QuerySet["IKM"]):
    def public(self) -> "IKMQuerySet":
        """What the public may see: verified and not suspended."""
        return self.filter(status=IKM.Status.VERIFIED, is_suspended=False)

    def in_region(self, code: str) -> "IKMQuerySet":
        return self.filter(region_id=code)

    def with_card_data(self) -> "IKMQuerySet":
        """Everything a directory card shows, in one query: region joined, published products counted.

        ``published_products`` counts products with status "published"; the catalog shows them only while the
        IKM is public, which is all the directory lists. ``has_halal`` says whether the IKM holds a verified,
        unexpired halal certificate (a subquery in the same SQL, not a query per card).
        """
        # The catalog app imports this module; look its model up when called instead of importing it here.
        certification = apps.get_model("catalog", "Certification")
        product = apps.get_model("catalog", "Product")
        halal = certification.objects.valid().filter(ikm=OuterRef("pk"), type="halal")
        # A correlated subquery, not a JOIN + GROUP BY: PostgreSQL then counts only for the page's 24 rows,
        # where the aggregate counted the products of all 5,000 IKM before paginating (p50 129 ms → 17 ms).
        published = (
            product.objects.filter(ikm=OuterRef("pk"), status="published")
            .order_by()
            .values("ikm")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.select_related("region").annotate(
            published_products=Coalesce(Subquery(published, output_field=models.IntegerField()), 0),
            has_halal=Exists(halal),
        )


@dataclass(frozen=True)
class ReadinessItem:
    """One line of the owner's checklist: what buyers and procurement officers look for."""

    key: str
    label: str
    done: bool


class IKM(models.Model):
    """A small or medium industry's business profile. One account owns at most one."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        NEEDS_CHANGES = "needs_changes", _("Needs changes")

    class LegalForm(models.TextChoices):
        PERORANGAN = "perorangan", _("Sole proprietor (perorangan)")
        UD = "ud", _("UD (usaha dagang)")
        CV = "cv", _("CV")
        PT = "pt", _("PT")
        KOPERASI = "koperasi", _("Cooperative (koperasi)")

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ikm", verbose_name=_("owner")
    )
    name = models.CharField(_("business name"), max_length=120)
    slug = models.SlugField(
        _("slug"), max_length=140, unique=True, help_text=_("Part of the public address; stable once published.")
    )
    tagline = models.CharField(_("tagline"), max_length=160, blank=True)
    story = models.TextField(
        _("story"), max_length=5000, blank=True, help_text=_("Plain text; separate paragraphs with an empty line.")
    )
    # Images go through galeri.images: we keep the stored name and the size of the normalised original.
    logo = models.CharField(_("logo"), max_length=255, blank=True)
    logo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover = models.CharField(_("cover photo"), max_length=255, blank=True)
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)

    nib = models.CharField(
        _("NIB"),
        max_length=13,
        blank=True,
        validators=[validate_nib],
        help_text=_("Nomor Induk Berusaha from OSS: 13 digits."),
    )
    legal_form = models.CharField(_("legal form"), max_length=12, choices=LegalForm, blank=True)
    sector = models.CharField(_("sector"), max_length=24, choices=Sector)
    kbli = models.CharField(
        _("KBLI code"), max_length=5, blank=True, validators=[validate_kbli], help_text=_("5 digits, optional.")
    )
    year_founded = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True)
    workers_women = models.PositiveIntegerField(_("women workers"), default=0)
    workers_men = models.PositiveIntegerField(_("men workers"), default=0)

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="ikm_set", verbose_name=_("regency or city")
    )
    kecamatan = models.CharField(_("district (kecamatan)"), max_length=100, blank=True)
    address = models.CharField(_("street address"), max_length=255, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    whatsapp = models.CharField(_("WhatsApp number"), max_length=16, blank=True, help_text=_("Stored as +62…"))
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    email = models.EmailField(_("public email"), blank=True)
    website = models.URLField(_("website"), max_length=URL_MAX_LENGTH, blank=True)

    status = models.CharField(_("verification"), max_length=16, choices=Status, default=Status.DRAFT)
    status_reason = models.TextField(_("staff's reason"), blank=True, max_length=2000)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    # Verification and being shown are separate: staff can suspend a verified IKM.
    is_suspended = models.BooleanField(_("suspended"), default=False)
    suspended_reason = models.TextField(_("suspension reason"), blank=True, max_length=2000)
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = IKMQuerySet.as_manager()

    class Meta:
        verbose_name = _("IKM")
        verbose_name_plural = _("IKM")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "verified", "needs_changes"]), name="ikm_ikm_status_valid"
            ),
            models.CheckConstraint(condition=Q(sector__in=Sector.values), name="ikm_ikm_sector_valid"),
            models.CheckConstraint(
                condition=Q(legal_form="") | Q(legal_form__in=["perorangan", "ud", "cv", "pt", "koperasi"]),
                name="ikm_ikm_legal_form_valid",
            ),
            models.UniqueConstraint(fields=["nib"], condition=~Q(nib=""), name="ikm_ikm_nib_unique_when_set"),
            models.CheckConstraint(condition=Q(nib="") | Q(Exact(Length("nib"), 13)), name="ikm_ikm_nib_13_digits"),
            models.CheckConstraint(condition=Q(kbli="") | Q(Exact(Length("kbli"), 5)), name="ikm_ikm_kbli_5_digits"),
            models.CheckConstraint(
                condition=Q(year_founded__isnull=True) | Q(year_founded__gte=1900, year_founded__lte=2100),
                name="ikm_ikm_year_founded_plausible",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="ikm_ikm_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="ikm_ikm_longitude_range",
            ),
            # A map pin needs both; the form says so, the database makes sure (a CHECK passes on NULL otherwise).
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="ikm_ikm_coordinates_both_or_neither",
            ),
            models.CheckConstraint(
                condition=~Q(status="needs_changes") | ~Q(status_reason=""),
                name="ikm_ikm_needs_changes_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(whatsapp="") | Q(whatsapp__startswith="+62"), name="ikm_ikm_whatsapp_e164_id"
            ),
        ]
        indexes = [
            # The public directory: verified, not suspended, filtered by region/sector, newest first.
            models.Index(fields=["status", "is_suspended", "region"], name="ikm_ikm_public_region_idx"),
            models.Index(fields=["status", "is_suspended", "sector"], name="ikm_ikm_public_sector_idx"),
            # Staff queue: IKM waiting for verification, oldest first.
            models.Index(fields=["status", "submitted_at"], name="ikm_ikm_queue_idx"),
            models.Index(fields=["-created_at"], name="ikm_ikm_newest_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("ikm:ikm-detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.VERIFIED and not self.is_suspended

    @property
    def can_publish(self) -> bool:
        """Only a verified, active IKM may have published products."""
        return self.is_public

    @property
    def workers_total(self) -> int:
        return self.workers_women + self.workers_men

    def readiness(self) -> list[ReadinessItem]:
        """The owner's checklist (2 queries): NIB, logo, story, WhatsApp, a product, a certificate.

        Any product or certificate counts, whatever its review status: the checklist says what to add,
        the catalog's own panel says what staff still have to check.
        """
        return [
            ReadinessItem("nib", _("NIB from OSS"), bool(self.nib)),
            ReadinessItem("logo", _("Logo"), bool(self.logo)),
            ReadinessItem("story", _("Your story"), bool(self.story.strip())),
            ReadinessItem("whatsapp", _("WhatsApp number"), bool(self.whatsapp)),
            ReadinessItem("product", _("At least one product"), self.products.exists()),
            ReadinessItem(
                "certificate",
                _("At least one certificate (halal, BPOM, P-IRT, SNI, TKDN)"),
                self.certifications.exists(),
            ),
        ]


class IKMLink(models.Model):
    """A link to the IKM's shop or page on a marketplace or social network, checked against its domain."""

    ikm = models.ForeignKey(IKM, on_delete=models.CASCADE, related_name="links", verbose_name=_("IKM"))
    platform = models.CharField(_("platform"), max_length=16, choices=Platform)
    url = models.URLField(_("address"), max_length=URL_MAX_LENGTH)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("shop or page link")
        verbose_name_plural = _("shop and page links")
        ordering = ["ikm", "platform"]
        constraints = [
            models.UniqueConstraint(fields=["ikm", "platform"], name="ikm_ikmlink_one_per_platform"),
            models.CheckConstraint(condition=Q(platform__in=Platform.values), name="ikm_ikmlink_platform_valid"),
            models.CheckConstraint(condition=Q(url__startswith="https://"), name="ikm_ikmlink_https_only"),
        ]

    def __str__(self) -> str:
        return f"{self.ikm}: {self.get_platform_display()}"

    def get_absolute_url(self) -> str:
        return self.ikm.get_absolute_url()
