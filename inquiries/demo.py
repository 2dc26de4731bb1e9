"""Demo inquiries and WhatsApp clicks for ``seed_demo``: buyers of every type, over the last six months.

Demo inquiries are marked as already emailed, so ``send_pending_inquiry_mail`` never writes to their
(made-up, example.test) addresses.
"""

import datetime as dt

from django.utils import timezone

from catalog.models import Product
from galeri.demo import DemoContext
from ikm.models import IKM
from inquiries.models import BuyerType, ContactClick, Inquiry

FIRST_NAMES = ["Budi", "Siti", "Agus", "Dewi", "Rahmat", "Wulan", "Hendra", "Putri", "Joko", "Ayu", "Rina", "Fajar"]
LAST_NAMES = ["Santoso", "Lestari", "Saputra", "Wijaya", "Pratama", "Rahayu", "Hidayat", "Kurniawan", "Susanti"]
AGENCIES = [
    "Dinas Perindustrian dan Perdagangan Provinsi Lampung",
    "Dekranasda Kota Bandar Lampung",
    "Bagian Pengadaan Barang/Jasa Setda Kabupaten Pringsewu",
    "RSUD Dr. H. Abdul Moeloek",
    "Dinas Koperasi dan UKM Kabupaten Lampung Selatan",
]
COMPANIES = ["PT Oleh-Oleh Nusantara", "CV Sumber Rejeki", "Toko Oleh-oleh Siger", "Hotel Andalas Bandar Lampung"]
QUESTIONS_ID = [
    "Apakah produk ini ready stock? Saya butuh untuk acara kantor minggu depan.",
    "Berapa harga grosir untuk pembelian di atas 100 pcs? Apakah bisa kirim ke Jakarta?",
    "Apakah sudah ada sertifikat halal dan izin edar? Kami perlu untuk pengadaan.",
    "Bisa dibuat kemasan khusus dengan logo instansi kami untuk suvenir seminar?",
    "Berapa lama waktu produksi untuk pesanan 500 paket? Mohon info nilai TKDN-nya.",
    "Apakah tersedia di e-Katalog? Kami ingin memesan untuk kegiatan dinas.",
]
QUESTIONS_EN = [
    "Do you ship to Singapore? I would like to order for a family event.",
    "Could you send me a price list for wholesale orders?",
]
STATUS_WEIGHTS = [
    (Inquiry.Status.NEW, 3),
    (Inquiry.Status.READ, 2),
    (Inquiry.Status.REPLIED, 4),
    (Inquiry.Status.CLOSED, 2),
    (Inquiry.Status.SPAM, 1),
]
BUYER_WEIGHTS = [(BuyerType.INDIVIDUAL, 5), (BuyerType.BUSINESS, 3), (BuyerType.GOVERNMENT, 2)]


def has_data() -> bool:
    return Inquiry.objects.exists()


def _pick(rng, weighted: list[tuple[str, int]]) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def seed(ctx: DemoContext) -> None:
    rng = ctx.rng
    products = list(Product.objects.published().select_related("ikm").order_by("pk"))
    ikm_list = list(IKM.objects.public().order_by("pk"))
    if not ikm_list:
        ctx.log("inquiries.demo: no public IKM, no inquiries.")
        return
    now = timezone.now()
    inquiries = []
    for n in range(max(20, len(products) // 3)):
        product = rng.choice(products) if products and rng.random() < 0.8 else None
        ikm = product.ikm if product else rng.choice(ikm_list)
        buyer_type = _pick(rng, BUYER_WEIGHTS)
        english = rng.random() < 0.1
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        created = now - dt.timedelta(days=rng.randint(0, 180), minutes=rng.randint(0, 24 * 60))
        organization = ""
        if buyer_type == BuyerType.GOVERNMENT:
            organization = rng.choice(AGENCIES)
        elif buyer_type == BuyerType.BUSINESS:
            organization = rng.choice(COMPANIES)
        inquiry = Inquiry(
            ikm=ikm,
            product=product,
            name=f"{first} {last}",
            email=f"{first.lower()}.{last.lower()}{n}@example.test",
            phone=f"+62812{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.6 else "",
            organization=organization,
            buyer_type=buyer_type,
            quantity=rng.choice([None, 10, 50, 100, 250, 500]),
            message=rng.choice(QUESTIONS_EN if english else QUESTIONS_ID),
            language=Inquiry.Language.ENGLISH if english else Inquiry.Language.INDONESIAN,
            # Recent ones are still new; older ones have been handled.
            status=Inquiry.Status.NEW if created > now - dt.timedelta(days=7) else _pick(rng, STATUS_WEIGHTS),
            owner_notified_at=created,
            buyer_notified_at=created,
            notify_attempts=1,
            notify_attempted_at=created,
        )
        # The fields' own rules; the table's CHECK constraints are enforced by the database on insert (checking
        # them here ran seven queries per inquiry: 84,000 queries at 50,000 products).
        inquiry.full_clean(validate_constraints=False)
        inquiries.append((inquiry, created))
    Inquiry.objects.bulk_create([inquiry for inquiry, _created in inquiries])
    # created_at is auto_now_add: spread the dates afterwards.
    for inquiry, created in inquiries:
        inquiry.created_at = inquiry.updated_at = created
    # In batches: one UPDATE with a CASE of 12,000 branches is evaluated for each of its 12,000 rows.
    Inquiry.objects.bulk_update(
        [inquiry for inquiry, _created in inquiries], ["created_at", "updated_at"], batch_size=500
    )

    today = timezone.localdate()
    clicks: dict[tuple[int, int | None, dt.date], int] = {}
    targets = [(p.ikm_id, p.pk) for p in products if p.ikm.whatsapp] + [(i.pk, None) for i in ikm_list if i.whatsapp]
    for _ in range(len(targets) * 3 if targets else 0):
        ikm_id, product_id = rng.choice(targets)
        day = today - dt.timedelta(days=rng.randint(0, 180))
        clicks[(ikm_id, product_id, day)] = clicks.get((ikm_id, product_id, day), 0) + rng.randint(1, 4)
    ContactClick.objects.bulk_create(
        ContactClick(ikm_id=ikm_id, product_id=product_id, day=day, count=count)
        for (ikm_id, product_id, day), count in clicks.items()
    )
    ctx.log(f"inquiries.demo: {len(inquiries)} inquiries, {len(clicks)} daily WhatsApp counters.")
