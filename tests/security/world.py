"""One world with every kind of object and the five actors, each signed in once (a session in the database).

The permission matrix builds it once per module (tests/security/conftest.py); the CSP browser test builds it
once per test, committed, for the live server.
"""

import datetime as dt
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.test import Client

ACTORS = ("anonymous", "owner", "other_owner", "moderator", "superuser")

# The smallest well-formed PDF, as the certificate scan (tests/catalog/conftest.py has the same bytes).
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n170\n%%EOF\n"
)


@dataclass
class World:
    """The objects the matrix builds URLs from; everything owned belongs to ``owner``."""

    users: dict[str, object]
    ikm: object
    other_ikm: object
    product: object  # published, with one photo
    draft: object  # the owner's draft product
    other_product: object  # the other owner's, published
    photo: object
    certification: object  # with a private scan
    inquiry: object
    event: object  # published, taking applications now
    draft_event: object  # not published yet: a preview for staff only
    application: object  # the owner's IKM's application to ``event``
    report: object
    decision: object
    reminder: object
    click: object
    authenticator: object
    sessions: dict[str, str] = field(default_factory=dict)

    def client(self, actor: str) -> Client:
        """A fresh client signed in as ``actor`` (a new Client each time: a logout must not leak)."""
        client = Client()
        if actor != "anonymous":
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[actor]
        return client


def _jpeg() -> io.BytesIO:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (180, 120, 60)).save(buffer, format="JPEG", quality=85)
    buffer.seek(0)
    buffer.name = "foto.jpg"
    return buffer


def _user(email: str, **extra: object) -> object:
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(email=email, password="kopi-robusta-2026", **extra)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


def _load_reference_data() -> None:
    """A flush by an earlier transactional test removes the data migrations' rows: load them again."""
    from importlib import import_module

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    from catalog.models import Category
    from ikm.models import Region

    ContentType.objects.clear_cache()
    if not Region.objects.exists():
        import_module("ikm.migrations.0002_load_regions").load_regions(apps, None)
    if not Category.objects.exists():
        import_module("catalog.migrations.0002_load_categories").load_categories(apps, None)


def build_world() -> World:
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages
    from django.utils import timezone

    from catalog import services as catalog_services
    from catalog.models import Category, Certification, Product
    from exhibitions.models import Event, ExhibitorApplication
    from galeri.images import prepare_image
    from ikm.models import IKM, Sector
    from inquiries.models import ContactClick, Inquiry
    from moderation.models import CertificationReminder, Decision, Report
    from moderation.roles import moderator_group_sync

    _load_reference_data()
    now = timezone.now()
    users = {
        "owner": _user("pemilik@ikm.test"),
        "other_owner": _user("pemilik-lain@ikm.test"),
        "moderator": _user("moderator@lampungprov.test", is_staff=True),
        "superuser": _user("super@lampungprov.test", is_staff=True, is_superuser=True),
    }
    users["moderator"].groups.add(moderator_group_sync())

    def make_ikm(owner: object, name: str, slug: str) -> IKM:
        return IKM.objects.create(
            owner=owner,
            name=name,
            slug=slug,
            sector=Sector.PANGAN,
            region_id="18.71",
            status=IKM.Status.VERIFIED,
            verified_at=now,
            whatsapp="+6281234567890",
        )

    ikm = make_ikm(users["owner"], "Keripik Mak Ijah", "keripik-mak-ijah")
    other_ikm = make_ikm(users["other_owner"], "Tapis Sai Bumi", "tapis-sai-bumi")
    category = Category.objects.get(slug="keripik-camilan")

    def make_product(owner_ikm: IKM, name: str, slug: str, status: str) -> Product:
        published = {"published_at": now} if status == Product.Status.PUBLISHED else {}
        return Product.objects.create(
            ikm=owner_ikm, name=name, slug=slug, category=category, price_min=25000, status=status, **published
        )

    product = make_product(ikm, "Keripik Pisang Cokelat", "keripik-pisang-cokelat", Product.Status.PUBLISHED)
    draft = make_product(ikm, "Keripik Talas", "keripik-talas", Product.Status.DRAFT)
    other_product = make_product(other_ikm, "Kain Tapis Siger", "kain-tapis-siger", Product.Status.PUBLISHED)
    (photo,) = catalog_services.photos_add(product=product, user=users["owner"], images=[prepare_image(_jpeg())])

    scan = storages["private"].save("sertifikat/matrix.pdf", ContentFile(PDF_BYTES))
    certification = Certification.objects.create(
        ikm=ikm, type="halal", number="ID18710000000000000001", issuer="BPJPH", document=scan
    )
    certification.products.set([product])

    inquiry = Inquiry.objects.create(
        ikm=ikm,
        product=product,
        name="Rina Susanti",
        email="rina@pengadaan.test",
        phone="+6281234567891",
        message="Apakah bisa kirim 200 pack?",
        owner_notified_at=now,
        buyer_notified_at=now,
    )
    starts = now + dt.timedelta(days=30)
    event = Event.objects.create(
        kind=Event.Kind.PAMERAN,
        title="Lampung Craft 2026",
        slug="lampung-craft-2026",
        summary="Pameran produk IKM Lampung.",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=7),
        venue_name="Graha Wangsa",
        venue_address="Jl. Wolter Monginsidi No. 1",
        region_id="18.71",
        organiser="Dekranasda Provinsi Lampung",
        status=Event.Status.PUBLISHED,
        published_at=now,
        applications_open_at=now - dt.timedelta(days=1),
        applications_close_at=now + dt.timedelta(days=7),
        places=3,
    )
    draft_event = Event.objects.create(
        kind=Event.Kind.FESTIVAL,
        title="Festival Krakatau 2026",
        slug="festival-krakatau-2026",
        summary="Belum diumumkan.",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=7),
        venue_name="Lapangan Saburai",
        venue_address="Jl. Pangeran Diponegoro",
        region_id="18.71",
        organiser="Dinas Pariwisata Provinsi Lampung",
        status=Event.Status.DRAFT,
    )
    application = ExhibitorApplication.objects.create(event=event, ikm=ikm, note="Kami ingin ikut.")
    application.products.set([product])
    report = Report.objects.create(product=product, reason=Report.Reason.WRONG_INFORMATION, details="Harga salah.")
    decision = Decision.objects.create(
        target=product, actor=users["moderator"], from_status="pending", to_status="published"
    )
    reminder = CertificationReminder.objects.create(
        certification=certification, kind=CertificationReminder.Kind.values[0], expires_on=now.date()
    )
    click = ContactClick.objects.create(ikm=ikm, product=product, day=now.date(), count=3)
    authenticator = RecoveryCodes.activate(users["superuser"]).instance

    world = World(
        users=users,
        ikm=ikm,
        other_ikm=other_ikm,
        product=product,
        draft=draft,
        other_product=other_product,
        photo=photo,
        certification=certification,
        inquiry=inquiry,
        event=event,
        draft_event=draft_event,
        application=application,
        report=report,
        decision=decision,
        reminder=reminder,
        click=click,
        authenticator=authenticator,
    )
    for actor, user in users.items():
        client = Client()
        client.force_login(user)
        world.sessions[actor] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return world
