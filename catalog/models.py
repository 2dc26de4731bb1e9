"""The catalog: categories, products with photos, and the certificates that make buyers trust them."""

import datetime as dt

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from catalog.certificate_numbers import CertificateType
from ikm.models import IKM


class Category(models.Model):
    """A two-level category tree loaded by a data migration from what Lampung makes."""

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent category"),
    )
    name = models.CharField(_("name (Indonesian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="catalog_category_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("catalog:product-list") + f"?category={self.slug}"

    @property
    def display_name(self) -> str:
        return self.name_en if (get_language() or "id").startswith("en") and self.name_en else self.name


class ProductQuerySet(models.QuerySet["Product"]):
    def published(self) -> "ProductQuerySet":
        """What the public sees: published products of verified, active IKM."""
        return self.filter(status=Product.Status.PUBLISHED, ikm__status=IKM.Status.VERIFIED, ikm__is_suspended=False)

    def in_region(self, code: str) -> "ProductQuerySet":
        return self.filter(ikm__region_id=code)

    def in_category(self, category: Category) -> "ProductQuerySet":
        """A category includes its subcategories."""
        return self.filter(Q(category=category) | Q(category__parent=category))

    def waiting_for_review(self) -> "ProductQuerySet":
        """Staff queue: new products pending review, and published products edited since approval."""
        return self.filter(
            Q(status=Product.Status.PENDING) | Q(status=Product.Status.PUBLISHED, review_requested_at__isnull=False)
        )

    def with_card_data(self) -> "ProductQuerySet":
        """Everything a product card shows, in 3 queries for any number of products.

        IKM, region and category are joined; the cover (only the first photo: a sliced prefetch into
        ``cover_photos``, read through ``product.cover``) and the valid certificates
        (``product.valid_certifications``, for the badges) are prefetched. The search vector is never
        needed on a card, so it is not loaded.
        """
        return (
            self.select_related("ikm", "ikm__region", "category")
            .defer("search_vector")
            .prefetch_related(
                models.Prefetch(
                    "photos", queryset=ProductPhoto.objects.order_by("position")[:1], to_attr="cover_photos"
                ),
                models.Prefetch(
                    "certifications",
                    queryset=Certification.objects.valid().only("id", "type").order_by("type", "pk"),
                    to_attr="valid_certifications",
                ),
            )
        )


class Product(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Waiting for review")
        PUBLISHED = "published", _("Published")
        NEEDS_CHANGES = "needs_changes", _("Needs changes")
        ARCHIVED = "archived", _("Archived")

    class Unit(models.TextChoices):
        PCS = "pcs", _("piece")
        KG = "kg", _("kg")
        GRAM = "gram", _("gram")
        LITER = "liter", _("liter")
        ML = "ml", _("ml")
        PACK = "pack", _("pack")
        BOTOL = "botol", _("bottle")
        KOTAK = "kotak", _("box")
        LUSIN = "lusin", _("dozen")
        SET = "set", _("set")
        METER = "meter", _("meter")
        LEMBAR = "lembar", _("sheet")

    class NetUnit(models.TextChoices):
        GRAM = "g", _("g")
        KG = "kg", _("kg")
        ML = "ml", _("ml")
        LITER = "l", _("l")

    class Availability(models.TextChoices):
        READY = "ready", _("Ready stock")
        PREORDER = "preorder", _("Pre-order")
        OUT_OF_STOCK = "out_of_stock", _("Out of stock")

    ikm = models.ForeignKey(IKM, on_delete=models.CASCADE, related_name="products", verbose_name=_("IKM"))
    name = models.CharField(_("product name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("category")
    )
    short_description = models.CharField(_("short description"), max_length=200, blank=True)
    description = models.TextField(
        _("description"),
        max_length=5000,
        blank=True,
        help_text=_("Plain text; separate paragraphs with an empty line."),
    )
    # Whole rupiah. Neither: "harga nego". Only price_min: one price. Both: a range.
    price_min = models.PositiveBigIntegerField(_("price (from)"), null=True, blank=True)
    price_max = models.PositiveBigIntegerField(_("price (up to)"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit, default=Unit.PCS)
    net_amount = models.DecimalField(_("net weight or volume"), max_digits=9, decimal_places=2, null=True, blank=True)
    net_unit = models.CharField(_("net unit"), max_length=4, choices=NetUnit, blank=True)
    min_order = models.PositiveIntegerField(_("minimum order"), default=1)
    capacity_per_month = models.PositiveIntegerField(_("production capacity per month"), null=True, blank=True)
    capacity_unit = models.CharField(_("capacity unit"), max_length=8, choices=Unit, blank=True)
    lead_time_days = models.PositiveSmallIntegerField(_("lead time for pre-orders (days)"), null=True, blank=True)
    availability = models.CharField(_("availability"), max_length=16, choices=Availability, default=Availability.READY)
    tkdn_percent = models.DecimalField(
        _("TKDN (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Local content value, 0–100; government buyers look for at least 25%."),
    )
    shelf_life_days = models.PositiveSmallIntegerField(_("shelf life (days)"), null=True, blank=True)

    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.DRAFT)
    status_reason = models.TextField(_("staff's reason"), blank=True, max_length=2000)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Set when a published product is edited: it stays public and goes back into the staff's queue.
    review_requested_at = models.DateTimeField(_("re-review requested at"), null=True, blank=True)
    is_featured = models.BooleanField(_("featured"), default=False)
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)
    # Full-text search (PostgreSQL): kept current by a database trigger (migration 0003), so bulk_create
    # and raw updates keep it right too. Always NULL on SQLite, which searches with LIKE (catalog/search.py).
    search_vector = SearchVectorField(null=True, editable=False)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "pending", "published", "needs_changes", "archived"]),
                name="catalog_product_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    unit__in=[
                        "pcs",
                        "kg",
                        "gram",
                        "liter",
                        "ml",
                        "pack",
                        "botol",
                        "kotak",
                        "lusin",
                        "set",
                        "meter",
                        "lembar",
                    ]
                ),
                name="catalog_product_unit_valid",
            ),
            models.CheckConstraint(
                condition=Q(availability__in=["ready", "preorder", "out_of_stock"]),
                name="catalog_product_availability_valid",
            ),
            models.CheckConstraint(
                condition=Q(price_max__isnull=True)
                | (Q(price_min__isnull=False) & Q(price_max__gt=models.F("price_min"))),
                name="catalog_product_price_range_ordered",
            ),
            # Rp0 is not a price: a product without one is "harga nego" (NULL), as the owner's form says.
            models.CheckConstraint(
                condition=Q(price_min__isnull=True) | Q(price_min__gte=1), name="catalog_product_price_positive"
            ),
            models.CheckConstraint(condition=Q(min_order__gte=1), name="catalog_product_min_order_positive"),
            models.CheckConstraint(
                condition=Q(tkdn_percent__isnull=True) | Q(tkdn_percent__gte=0, tkdn_percent__lte=100),
                name="catalog_product_tkdn_0_100",
            ),
            models.CheckConstraint(
                condition=Q(net_amount__isnull=True) | (Q(net_amount__gt=0) & ~Q(net_unit="")),
                name="catalog_product_net_amount_has_unit",
            ),
            models.CheckConstraint(
                condition=~Q(status="needs_changes") | ~Q(status_reason=""),
                name="catalog_product_needs_changes_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="catalog_product_published_has_date",
            ),
        ]
        indexes = [
            # /produk/ newest first and the home page's newest products.
            models.Index(fields=["status", "-published_at"], name="catalog_product_newest_idx"),
            # /produk/?sort=price_asc|price_desc
            models.Index(fields=["status", "price_min"], name="catalog_product_price_idx"),
            # /produk/?category=… (with subcategories through category__parent).
            models.Index(fields=["category", "status"], name="catalog_product_category_idx"),
            # Staff queues, oldest first.
            models.Index(fields=["status", "submitted_at"], name="catalog_product_queue_idx"),
            # Home page: featured products.
            models.Index(fields=["is_featured", "status"], name="catalog_product_featured_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:product-detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.ikm.is_public

    @property
    def is_negotiable(self) -> bool:
        return self.price_min is None

    @property
    def cover(self) -> "ProductPhoto | None":
        """The first photo; uses the prefetch from with_card_data() (``cover_photos``) or of all photos when present."""
        if hasattr(self, "cover_photos"):
            return self.cover_photos[0] if self.cover_photos else None
        photos = list(self.photos.all())
        return min(photos, key=lambda p: p.position) if photos else None


class ProductPhoto(models.Model):
    """Up to 8 ordered photos; the first is the cover. Files come from galeri.images."""

    MAX_PER_PRODUCT = 8

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos", verbose_name=_("product"))
    image = models.CharField(_("image"), max_length=255)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    alt_text = models.CharField(
        _("description for screen readers"), max_length=200, blank=True, help_text=_("Defaults to the product name.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")
        ordering = ["product", "position"]
        constraints = [
            # Positions 0-7; reordering passes through 8-15 so the unique constraint holds at every step.
            models.CheckConstraint(condition=Q(position__lt=16), name="catalog_productphoto_position_range"),
            models.UniqueConstraint(fields=["product", "position"], name="catalog_productphoto_unique_position"),
            # The stored size feeds width/height and srcset: a 0-pixel side is a broken picture.
            models.CheckConstraint(condition=Q(width__gt=0, height__gt=0), name="catalog_productphoto_size_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.product} #{self.position + 1}"

    def get_absolute_url(self) -> str:
        return self.product.get_absolute_url()

    @property
    def alt(self) -> str:
        return self.alt_text or self.product.name


class CertificationQuerySet(models.QuerySet["Certification"]):
    def valid(self, on: dt.date | None = None) -> "CertificationQuerySet":
        """Verified and not expired: computed from dates when read, so expiry needs no job."""
        today = on or timezone.localdate()
        return self.filter(status=Certification.Status.VERIFIED).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today)
        )


class Certification(models.Model):
    """A halal certificate, izin edar, P-IRT, SNI, TKDN, GI, … held by an IKM for some of its products."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    ikm = models.ForeignKey(IKM, on_delete=models.CASCADE, related_name="certifications", verbose_name=_("IKM"))
    type = models.CharField(_("type"), max_length=8, choices=CertificateType)
    number = models.CharField(_("number"), max_length=100)
    issuer = models.CharField(_("issuer"), max_length=150, blank=True)
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    expires_on = models.DateField(
        _("expiry date"), null=True, blank=True, help_text=_("Leave empty when it does not expire (current halal).")
    )
    # Private: stored outside MEDIA_ROOT and served only to the owner and staff.
    document = models.CharField(_("scanned document"), max_length=255, blank=True)
    products = models.ManyToManyField(
        Product, related_name="certifications", blank=True, verbose_name=_("products covered")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    status_reason = models.TextField(_("staff's reason"), blank=True, max_length=2000)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CertificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["ikm", "type", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=["halal", "bpom", "pirt", "sni", "tkdn", "ig", "other"]),
                name="catalog_certification_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "verified", "rejected"]), name="catalog_certification_status_valid"
            ),
            # Staff verify a certificate by its number at the issuer: there is nothing to check without one.
            models.CheckConstraint(condition=~Q(number=""), name="catalog_certification_number_required"),
            models.UniqueConstraint(fields=["ikm", "type", "number"], name="catalog_certification_unique_number"),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gte=models.F("issued_on")),
                name="catalog_certification_expires_after_issue",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(status_reason=""), name="catalog_certification_rejected_has_reason"
            ),
        ]
        indexes = [
            # Staff queue: certificates waiting for verification, oldest first.
            models.Index(fields=["status", "created_at"], name="catalog_cert_queue_idx"),
            # Catalog filter ?certification=halal: valid certificates of a type.
            models.Index(fields=["type", "status", "expires_on"], name="catalog_cert_type_valid_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.number}"

    def get_absolute_url(self) -> str:
        return self.ikm.get_absolute_url()

    def is_valid_on(self, day: dt.date | None = None) -> bool:
        today = day or timezone.localdate()
        return self.status == self.Status.VERIFIED and (self.expires_on is None or self.expires_on >= today)
