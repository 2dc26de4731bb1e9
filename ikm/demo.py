"""Demo IKM for ``seed_demo``: producers in every region and sector, most verified, some waiting.

Fast at 5,000 IKM (the benchmark's size): users, email addresses and profiles are bulk-created,
and logos and covers come from a small pool of pictures stored once.
"""

import datetime as dt
import io

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.text import slugify

from galeri.demo import DemoContext, draw_demo_photo
from galeri.images import StoredImage, prepare_image, store_image
from ikm.identifiers import Platform
from ikm.models import IKM, IKMLink, Region, Sector

DEMO_PASSWORD = "demo-galeri-2026"
DEMO_OWNER_EMAIL = "pemilik@demo.galeri.test"
DEMO_STAFF_EMAIL = "staf@demo.galeri.test"

# Name parts per sector: (product words, brand words).
NAME_PARTS: dict[str, tuple[list[str], list[str]]] = {
    Sector.PANGAN: (
        [
            "Keripik Pisang",
            "Kopi Robusta",
            "Lempok Durian",
            "Sambal Lampung",
            "Emping Melinjo",
            "Kemplang",
            "Madu Hutan",
            "Keripik Singkong",
            "Teri Pasaran",
            "Lada Hitam",
            "Bolu Pandan",
            "Terasi",
        ],
        [
            "Mak Ijah",
            "Sumber Jaya",
            "Sai Bumi",
            "Way Halim",
            "Pagar Alam",
            "Siger",
            "Ruwa Jurai",
            "Tanjung Karang",
            "Bunda Ani",
            "Karya Mandiri",
            "Liwa Asri",
            "Sekala Brak",
        ],
    ),
    Sector.SANDANG: (
        ["Tapis", "Sulam Usus", "Batik Lampung", "Kaos Lampung", "Peci Tapis", "Sulam Jelujur"],
        ["Siger Emas", "Sai Betik", "Cahaya Bumi", "Putri Kenanga", "Nuwo Balak", "Mutiara Teluk"],
    ),
    Sector.KAYU_FURNITUR: (
        ["Mebel", "Ukiran Kayu", "Furnitur Jati", "Kerajinan Kayu"],
        ["Karya Jati", "Tunas Baru", "Rimba Raya", "Sinar Metro", "Pringsewu Indah"],
    ),
    Sector.KERAJINAN: (
        ["Anyaman Tikew", "Anyaman Bambu", "Suvenir", "Tas Tapis", "Kerajinan Kulit Kerang", "Dekorasi Rotan"],
        ["Tubaba", "Menggala Jaya", "Kreasi Ibu", "Serumpun", "Teluk Betung", "Mekar Sari"],
    ),
    Sector.LOGAM_ELEKTRONIKA: (
        ["Alat Pertanian", "Bengkel Las", "Mesin Tepat Guna", "Pandai Besi"],
        ["Tani Makmur", "Karya Teknik", "Baja Sakti", "Mandiri Jaya"],
    ),
    Sector.KIMIA_BAHAN_BANGUNAN: (
        ["Sabun Herbal", "Jamu", "Batako", "Minyak Atsiri", "Kosmetik Alami"],
        ["Sehat Alami", "Griya Herbal", "Bumi Waras", "Cipta Karya", "Lestari"],
    ),
    Sector.ANEKA: (
        ["Sablon", "Percetakan", "Kemasan", "Aneka Kreasi"],
        ["Kreatif Lampung", "Serba Guna", "Warna Warni", "Usaha Bersama"],
    ),
}

KECAMATAN = {
    "18.71": ["Tanjung Karang Pusat", "Kedaton", "Rajabasa", "Way Halim", "Teluk Betung Selatan", "Sukarame"],
    "18.72": ["Metro Pusat", "Metro Barat", "Metro Timur"],
}
STREETS = [
    "Jl. Pagar Alam",
    "Jl. Ahmad Yani",
    "Jl. Raden Intan",
    "Jl. Sudirman",
    "Jl. Diponegoro",
    "Jl. Pemuda",
    "Jl. Veteran",
    "Jl. Imam Bonjol",
    "Jl. Teuku Umar",
    "Jl. Gajah Mada",
]
TAGLINES = [
    "Rasa asli Lampung sejak {year}",
    "Dibuat dengan tangan, dengan hati",
    "Produk lokal, mutu nasional",
    "Warisan {region} untuk Indonesia",
    "Dari {region} untuk pelanggan di seluruh negeri",
]
STORIES = [
    "{name} berdiri pada {year} di {region}. Kami mulai dari dapur rumah dan kini mempekerjakan "
    "{workers} orang dari lingkungan sekitar.",
    "Bahan baku kami ambil langsung dari petani dan perajin di {region}, supaya mutunya terjaga dan "
    "penghasilannya kembali ke kampung.",
    "Kami melayani pesanan rumah tangga, kantor dan instansi pemerintah, termasuk pesanan dalam jumlah "
    "besar untuk acara dan suvenir.",
    "Produk kami sudah dipamerkan di Lampung Craft dan festival Gernas BBI.",
]
NEEDS_CHANGES_REASONS = [
    "Foto logo buram dan nomor NIB belum sesuai dengan dokumen OSS. Mohon unggah ulang logo dan periksa NIB.",
    "Cerita usaha masih kosong. Ceritakan singkat usaha Anda agar pembeli mengenal Anda.",
]
# Even the smallest demo shows every state: these positions are fixed, the rest drawn (about 85% verified).
# Position 0 is the demo owner's IKM, always verified.
SUSPENDED = {4, 5}  # verified, then suspended by staff
FIRST_STATUSES = {
    1: IKM.Status.NEEDS_CHANGES,
    2: IKM.Status.SUBMITTED,
    3: IKM.Status.DRAFT,
    **dict.fromkeys(SUSPENDED, IKM.Status.VERIFIED),
}
POOL_SIZE = 12
# Telkomsel, Indosat, XL, Tri, Smartfren prefixes after +628.
MOBILE_PREFIXES = [11, 12, 13, 21, 22, 52, 53, 57, 77, 78, 95]


def has_data() -> bool:
    return IKM.objects.exists()


def _pool(ctx: DemoContext, folder: str, width: int, height: int) -> list[StoredImage]:
    pictures = []
    for _ in range(POOL_SIZE):
        prepared = prepare_image(io.BytesIO(draw_demo_photo(ctx.rng, width=width, height=height)))
        pictures.append(store_image(prepared, folder=folder))
    return pictures


def seed(ctx: DemoContext) -> None:
    rng = ctx.rng
    now = timezone.now()
    User = get_user_model()
    regions = list(Region.objects.order_by("code"))
    sectors = list(Sector)
    logos = _pool(ctx, "ikm/logos", 480, 480)
    covers = _pool(ctx, "ikm/covers", 1600, 600)

    staff = User.objects.filter(email=DEMO_STAFF_EMAIL).first() or User.objects.create_superuser(
        DEMO_STAFF_EMAIL, DEMO_PASSWORD, full_name="Staf Disperindag Lampung"
    )
    EmailAddress.objects.get_or_create(user=staff, email=staff.email, defaults={"verified": True, "primary": True})

    unusable = make_password(None)
    users = [
        User(email=DEMO_OWNER_EMAIL if n == 0 else f"ikm{n:05d}@demo.galeri.test", password=unusable)
        for n in range(ctx.ikm)
    ]
    if users:
        users[0].password = make_password(DEMO_PASSWORD)
        users[0].full_name = "Ijah Rahmawati"
    users = User.objects.bulk_create(users, batch_size=1000)
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users], batch_size=1000
    )

    profiles = []
    used_slugs: set[str] = set()
    for n, user in enumerate(users):
        # Round-robin over regions and sectors so every one of them has producers, then vary.
        region = regions[n % len(regions)]
        sector = sectors[n % len(sectors)] if n < len(regions) * len(sectors) else rng.choice(sectors)
        products, brands = NAME_PARTS[sector]
        name = f"{rng.choice(products)} {rng.choice(brands)}"
        slug = slugify(name)
        if slug in used_slugs:
            slug = f"{slug}-{n}"
        used_slugs.add(slug)
        year = rng.randint(1995, 2024)
        workers_women, workers_men = rng.randint(0, 14), rng.randint(0, 8)
        roll = rng.random()
        status = FIRST_STATUSES.get(n) or (
            IKM.Status.VERIFIED
            if n == 0 or roll < 0.85
            else IKM.Status.SUBMITTED
            if roll < 0.93
            else IKM.Status.NEEDS_CHANGES
            if roll < 0.97
            else IKM.Status.DRAFT
        )
        submitted_at = now - dt.timedelta(days=rng.randint(1, 700)) if status != IKM.Status.DRAFT else None
        verified_at = submitted_at + dt.timedelta(days=rng.randint(1, 10)) if status == IKM.Status.VERIFIED else None
        logo = logos[n % POOL_SIZE] if rng.random() < 0.7 else None
        cover = covers[n % POOL_SIZE] if rng.random() < 0.5 else None
        kecamatan_choices = KECAMATAN.get(region.code, [region.seat or region.short_name])
        coordinates = rng.random() < 0.4
        profile = IKM(
            owner=user,
            name=name,
            slug=slug,
            tagline=rng.choice(TAGLINES).format(year=year, region=region.short_name),
            story="\n\n".join(
                s.format(name=name, year=year, region=region.short_name, workers=workers_women + workers_men or 1)
                for s in rng.sample(STORIES, k=rng.randint(2, 4))
            ),
            nib=f"{9120000000000 + n * 7919 % 879999999999:013d}",
            legal_form=rng.choice([choice.value for choice in IKM.LegalForm]),
            sector=sector,
            kbli=rng.choice(["10794", "10771", "13912", "16299", "32909", "28210", "20231", ""]),
            year_founded=year,
            workers_women=workers_women,
            workers_men=workers_men,
            region=region,
            kecamatan=rng.choice(kecamatan_choices),
            address=f"{rng.choice(STREETS)} No. {rng.randint(1, 250)}",
            latitude=round(-5.45 + rng.uniform(-0.9, 0.6), 6) if coordinates else None,
            longitude=round(105.26 + rng.uniform(-1.1, 0.6), 6) if coordinates else None,
            whatsapp=f"+628{rng.choice(MOBILE_PREFIXES)}{rng.randint(10_000_000, 99_999_999)}",
            email=user.email if rng.random() < 0.3 else "",
            logo=logo.name if logo else "",
            logo_width=logo.width if logo else None,
            logo_height=logo.height if logo else None,
            cover=cover.name if cover else "",
            cover_width=cover.width if cover else None,
            cover_height=cover.height if cover else None,
            status=status,
            status_reason=rng.choice(NEEDS_CHANGES_REASONS) if status == IKM.Status.NEEDS_CHANGES else "",
            submitted_at=submitted_at,
            verified_at=verified_at,
            verified_by=staff if verified_at else None,
        )
        if n in SUSPENDED or (n > 0 and status == IKM.Status.VERIFIED and rng.random() < 0.01):
            profile.is_suspended = True
            profile.suspended_reason = "Laporan pembeli sedang diperiksa."
            profile.suspended_at = now
        profiles.append(profile)
    profiles = IKM.objects.bulk_create(profiles, batch_size=1000)

    links = []
    for profile in profiles:
        if rng.random() < 0.35:
            platform = rng.choice([Platform.TOKOPEDIA, Platform.SHOPEE, Platform.INSTAGRAM])
            host = {Platform.TOKOPEDIA: "www.tokopedia.com", Platform.SHOPEE: "shopee.co.id"}.get(
                platform, "www.instagram.com"
            )
            links.append(IKMLink(ikm=profile, platform=platform, url=f"https://{host}/{profile.slug.replace('-', '')}"))
    IKMLink.objects.bulk_create(links, batch_size=1000)

    ctx.shared["ikm"] = profiles
    ctx.log(
        f"IKM: {len(profiles)} in {len({p.region_id for p in profiles})} regions and "
        f"{len({p.sector for p in profiles})} sectors. Demo owner {DEMO_OWNER_EMAIL} and staff {DEMO_STAFF_EMAIL}, "
        f"password {DEMO_PASSWORD}."
    )
