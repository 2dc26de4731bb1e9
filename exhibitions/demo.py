"""Demo events for ``seed_demo``: past and upcoming events across Lampung, with exhibitors and winners.

The flagship events come first (Lampung Craft by Dekranasda, the Gernas BBI "Lagawi Fest" with its five
champions, a coffee competition with winners per category, a business matching day with BUMN and government
buyers, trainings, bazaars, one cancelled exhibition); generated events fill up to ``ctx.events``. Exhibitors
are the public IKM the IKM seeder made (``ctx.shared["ikm"]``) with the published products the catalog seeder
made. Everything is bulk-inserted, so 300 events take a couple of seconds.
"""

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import slugify

from catalog.models import Product
from exhibitions.models import WIB, Award, Event, ExhibitorApplication, ProgrammeItem
from galeri.demo import DemoContext, draw_demo_photo
from galeri.images import StoredImage, prepare_image, store_image
from ikm.models import IKM
from ikm.regions import REGIONS

Kind = Event.Kind
Status = ExhibitorApplication.Status

# (code, venue, address) per kabupaten/kota: plausible public venues of each seat.
VENUES: dict[str, tuple[str, str]] = {
    "18.71": ("Graha Wangsa", "Jl. Wolter Monginsidi, Teluk Betung Utara"),
    "18.72": ("Taman Merdeka Metro", "Jl. Ahmad Yani, Metro Pusat"),
    "18.01": ("Lapangan Zainal Abidin Pagar Alam", "Kalianda"),
    "18.02": ("Gedung Sesat Agung Nuwo Balak", "Gunung Sugih"),
    "18.03": ("Stadion Sukung", "Kotabumi"),
    "18.04": ("Pekon Way Mengaku", "Jl. Raden Intan, Liwa"),
    "18.05": ("Gedung Serbaguna Menggala", "Menggala"),
    "18.06": ("Lapangan Merdeka Kota Agung", "Kota Agung"),
    "18.07": ("Islamic Center Sukadana", "Sukadana"),
    "18.08": ("Gedung Serba Guna Way Kanan", "Blambangan Umpu"),
    "18.09": ("Lapangan Pemkab Pesawaran", "Gedong Tataan"),
    "18.10": ("Gedung Pemkab Pringsewu", "Jl. Ki Hajar Dewantara, Pringsewu"),
    "18.11": ("Balai Rakyat Mesuji", "Wiralaga Mulya"),
    "18.12": ("Islamic Center Tulang Bawang Barat", "Panaragan Jaya"),
    "18.13": ("Pantai Labuhan Jukung", "Krui"),
}
ORGANISERS = {
    "disperindag": ("Dinas Perindustrian dan Perdagangan Provinsi Lampung", "https://disperindag.lampungprov.go.id/"),
    "dekranasda": ("Dekranasda Provinsi Lampung", ""),
    "bbi": ("Kemenko Marves bersama Pemerintah Provinsi Lampung", ""),
    "diskop": ("Dinas Koperasi dan UKM Provinsi Lampung", ""),
}
# Banners: a few pictures drawn and stored once, shared by the flagship events and every 10th generated one.
BANNER_POOL = 4
EXHIBITOR_KINDS = {Kind.PAMERAN, Kind.FESTIVAL, Kind.BAZAR, Kind.LOMBA, Kind.TEMU_BISNIS}


@dataclass
class Spec:
    """One event to create, with what hangs off it."""

    kind: str
    title: str
    region: str | None
    starts: dt.datetime
    days: int = 1
    hours: tuple[int, int] = (9, 17)
    summary: str = ""
    description: str = ""
    organiser: str = "disperindag"
    status: str = Event.Status.PUBLISHED
    mode: str = Event.AttendanceMode.OFFLINE
    online_url: str = ""
    places: int | None = None
    exhibitors: int = 0
    window: tuple[dt.datetime, dt.datetime] | None = None
    programme: list[tuple[int, int, str, str]] = field(default_factory=list)  # (day, hour, title, place)
    # (category, [titles]) per award group: one winner per title.
    awards: list[tuple[str, list[str]]] = field(default_factory=list)
    cancellation_note: str = ""


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=WIB)


def _flagships(today: dt.date) -> list[Spec]:
    year = today.year
    lampung_craft_next = today + dt.timedelta(days=45)
    matching = today + dt.timedelta(days=21)
    return [
        Spec(
            kind=Kind.PAMERAN,
            title=f"Lampung Craft {year - 1}",
            region="18.71",
            starts=_at(dt.date(year - 1, 11, 27), 10),
            days=5,
            hours=(10, 21),
            organiser="dekranasda",
            summary="Pameran kriya dan produk unggulan IKM se-Provinsi Lampung: tapis, sulam usus, batik, kopi.",
            description=(
                "Lampung Craft digelar Dekranasda Provinsi Lampung setiap tahun sejak 2021.\n\n"
                "Peserta dikurasi dari pendaftar daring: kain tapis, sulam usus, batik Lampung, anyaman, "
                "kopi robusta dan olahan pangan khas Lampung."
            ),
            places=40,
            exhibitors=30,
            programme=[
                (0, 10, "Pembukaan oleh Ketua Dekranasda Provinsi Lampung", "Panggung utama"),
                (0, 14, "Peragaan busana tapis", "Panggung utama"),
                (2, 15, "Kelas membatik untuk pengunjung", "Ruang lokakarya"),
                (4, 19, "Penutupan dan pengumuman stan terbaik", "Panggung utama"),
            ],
        ),
        Spec(
            kind=Kind.PAMERAN,
            title=f"Lampung Craft {lampung_craft_next.year}",
            region="18.71",
            starts=_at(lampung_craft_next, 10),
            days=5,
            hours=(10, 21),
            organiser="dekranasda",
            summary="Pendaftaran peserta dibuka: IKM terverifikasi dapat mendaftar dengan hingga lima produk.",
            description="Pameran tahunan kriya dan produk unggulan Lampung. Kurasi oleh Dekranasda.",
            places=40,
            exhibitors=12,
            window=(_at(today - dt.timedelta(days=5), 8), _at(today + dt.timedelta(days=20), 23, 59)),
            programme=[(0, 10, "Pembukaan", "Panggung utama"), (1, 13, "Temu pembeli kriya", "Ruang rapat")],
        ),
        Spec(
            kind=Kind.FESTIVAL,
            title="Gernas BBI Lagawi Fest 2022",
            region="18.71",
            starts=_at(dt.date(2022, 6, 20), 9),
            days=3,
            hours=(9, 21),
            organiser="bbi",
            summary="Gerakan Nasional Bangga Buatan Indonesia: 478 IKM mendaftar daring, 30 dikurasi untuk pameran.",
            description=(
                "Festival Gernas BBI di Lampung. Dari 478 IKM yang mendaftar daring, 30 dikurasi untuk tampil, "
                "dan lima dinobatkan sebagai juara."
            ),
            places=30,
            exhibitors=30,
            programme=[
                (0, 9, "Pembukaan Gernas BBI", "PKOR Way Halim"),
                (1, 10, "Kurasi produk oleh tim juri", "Hall B"),
                (2, 19, "Pengumuman lima juara", "Panggung utama"),
            ],
            awards=[("", ["Juara 1", "Juara 2", "Juara 3", "Juara Harapan 1", "Juara Harapan 2"])],
        ),
        Spec(
            kind=Kind.LOMBA,
            title=f"Festival Kopi Lampung Barat {year - 1}: Lomba Cita Rasa Kopi",
            region="18.04",
            starts=_at(dt.date(year - 1, 8, 14), 8),
            days=2,
            hours=(8, 17),
            organiser="disperindag",
            summary="Lomba cita rasa kopi robusta Lampung (indikasi geografis sejak 2014), dengan juara per kategori.",
            description=(
                "Penilaian oleh Q-grader: aroma, rasa, keasaman, kemasan. "
                "Kategori robusta natural, robusta honey dan kemasan terbaik."
            ),
            places=25,
            exhibitors=18,
            programme=[
                (0, 8, "Registrasi dan penyerahan sampel", "Pekon Way Mengaku"),
                (0, 13, "Cupping oleh juri", "Ruang cupping"),
                (1, 15, "Pengumuman pemenang", "Panggung utama"),
            ],
            awards=[
                ("Robusta Natural", ["Juara 1", "Juara 2", "Juara 3"]),
                ("Robusta Honey", ["Juara 1", "Juara 2"]),
                ("Kemasan Terbaik", ["Juara 1", "Favorit"]),
            ],
        ),
        Spec(
            kind=Kind.TEMU_BISNIS,
            title=f"Temu Bisnis IKM dengan BUMN dan Pengadaan Pemerintah {matching.year}",
            region="18.71",
            starts=_at(matching, 9),
            hours=(9, 16),
            organiser="disperindag",
            mode=Event.AttendanceMode.MIXED,
            online_url="https://zoom.us/j/6281234567",
            summary="IKM bertemu pembeli BUMN dan pejabat pengadaan: P3DN, TKDN dan e-Katalog.",
            description=(
                "Pembeli yang hadir: PTPN VII, PT Bukit Asam, Pelindo, Bank Lampung, dan pejabat pengadaan "
                "barang/jasa pemerintah provinsi dan kabupaten/kota.\n\n"
                "Belanja pemerintah wajib minimal 40% untuk produk usaha mikro, kecil dan koperasi (Inpres 2/2022). "
                "Bawa sertifikat TKDN, halal dan data kapasitas produksi."
            ),
            places=25,
            exhibitors=10,
            window=(_at(today - dt.timedelta(days=10), 8), _at(matching - dt.timedelta(days=3), 23, 59)),
            programme=[
                (0, 9, "Paparan P3DN dan TKDN", "Ruang Abung"),
                (0, 10, "Sesi temu bisnis satu per satu", "Ruang Abung dan Zoom"),
                (0, 14, "Pendampingan pendaftaran e-Katalog", "Ruang Pepadun"),
            ],
        ),
        Spec(
            kind=Kind.PELATIHAN,
            title=f"Pelatihan Desain Kemasan dan Sertifikasi Halal {year}",
            region=None,
            starts=_at(today + dt.timedelta(days=10), 13),
            hours=(13, 16),
            organiser="disperindag",
            mode=Event.AttendanceMode.ONLINE,
            online_url="https://zoom.us/j/6287654321",
            summary="Daring: merancang label yang memuat nomor sertifikat halal, P-IRT dan komposisi.",
        ),
        Spec(
            kind=Kind.PELATIHAN,
            title=f"Pelatihan Pemasaran Digital IKM Metro {year}",
            region="18.72",
            starts=_at(today - dt.timedelta(days=60), 9),
            hours=(9, 15),
            organiser="diskop",
            summary="Foto produk dengan ponsel, toko di marketplace, dan katalog WhatsApp.",
        ),
        Spec(
            kind=Kind.BAZAR,
            title=f"Bazar Ramadan IKM Lampung {year}",
            region="18.71",
            starts=_at(today + dt.timedelta(days=75), 15),
            days=10,
            hours=(15, 22),
            organiser="diskop",
            summary="Keripik, kemplang, lempok durian dan sambal lampung untuk berbuka dan oleh-oleh Lebaran.",
            places=60,
            exhibitors=8,
            window=(_at(today - dt.timedelta(days=2), 8), _at(today + dt.timedelta(days=40), 23, 59)),
        ),
        Spec(
            kind=Kind.BAZAR,
            title=f"Bazar Produk Lokal Hari Kemerdekaan {year - 1}",
            region="18.01",
            starts=_at(dt.date(year - 1, 8, 15), 9),
            days=3,
            hours=(9, 21),
            organiser="diskop",
            summary="Bazar produk IKM Lampung Selatan menyambut HUT RI.",
            places=35,
            exhibitors=15,
        ),
        Spec(
            kind=Kind.PAMERAN,
            title=f"Pameran Produk Unggulan Way Kanan {year}",
            region="18.08",
            starts=_at(today + dt.timedelta(days=30), 9),
            days=2,
            organiser="disperindag",
            status=Event.Status.CANCELLED,
            summary="Pameran produk unggulan daerah.",
            cancellation_note="Dibatalkan karena bertepatan dengan agenda daerah; akan dijadwalkan ulang.",
        ),
    ]


GENERATED = {
    Kind.PAMERAN: ["Pameran Produk IKM {region} {year}", "Expo Kriya dan Kuliner {region} {year}"],
    Kind.FESTIVAL: ["Festival Tapis {region} {year}", "Festival Durian dan Olahan Pangan {region} {year}"],
    Kind.BAZAR: ["Bazar IKM Akhir Tahun {region} {year}", "Bazar Oleh-oleh Khas {region} {year}"],
    Kind.LOMBA: ["Lomba Desain Kemasan IKM {year}", "Lomba Motif Tapis {region} {year}"],
    Kind.TEMU_BISNIS: ["Temu Bisnis IKM {region} {year}"],
    Kind.PELATIHAN: ["Pelatihan Pembukuan Sederhana IKM {region} {year}", "Pelatihan Kemasan {region} {year}"],
}
KIND_WEIGHTS = {
    Kind.PAMERAN: 4,
    Kind.FESTIVAL: 2,
    Kind.BAZAR: 3,
    Kind.LOMBA: 2,
    Kind.TEMU_BISNIS: 1,
    Kind.PELATIHAN: 3,
}


def _generated(rng: random.Random, today: dt.date, count: int) -> list[Spec]:
    specs = []
    kinds = list(KIND_WEIGHTS)
    weights = list(KIND_WEIGHTS.values())
    for _ in range(count):
        kind = rng.choices(kinds, weights)[0]
        code, _bps, name, _kind, _seat, _slug = rng.choice(REGIONS)
        day = today + dt.timedelta(days=rng.randint(-3 * 365, 300))
        region = name.removeprefix("Kabupaten ").removeprefix("Kota ")
        title = rng.choice(GENERATED[kind]).format(region=region, year=day.year)
        takes_exhibitors = kind in EXHIBITOR_KINDS
        places = rng.choice([20, 30, 40, 50]) if takes_exhibitors else None
        window = None
        if takes_exhibitors and day > today:
            window = (_at(day - dt.timedelta(days=rng.randint(20, 70)), 8), _at(day - dt.timedelta(days=7), 23, 59))
        specs.append(
            Spec(
                kind=kind,
                title=title,
                region=code,
                starts=_at(day, rng.choice([8, 9, 10, 13])),
                days=rng.choice([1, 1, 2, 3]) if kind != Kind.PELATIHAN else 1,
                organiser=rng.choice(list(ORGANISERS)),
                summary=f"{Event.Kind(kind).label} untuk IKM {name}.",
                places=places,
                exhibitors=rng.randint(5, min(places, 25)) if places else 0,
                window=window,
                programme=[(0, 9, "Pembukaan", "Panggung utama"), (0, 13, "Sesi utama", "Aula")],
                awards=[("", ["Juara 1", "Juara 2", "Juara 3"])] if kind == Kind.LOMBA else [],
            )
        )
    return specs


def _public_ikm_ids(ctx: DemoContext) -> list[int]:
    """The IKM the IKM seeder shared (instances or ids), keeping only public ones; else every public IKM."""
    shared = ctx.shared.get("ikm") or []
    ids = [getattr(item, "pk", item) for item in shared]  # type: ignore[union-attr]
    public = IKM.objects.public()
    if ids:
        public = public.filter(pk__in=ids)
    return sorted(public.values_list("pk", flat=True))


def _banner_pool(rng: random.Random) -> list[StoredImage]:
    pool = []
    for n in range(BANNER_POOL):
        picture = draw_demo_photo(rng, width=1600, height=700)
        upload = SimpleUploadedFile(f"banner-{n}.jpg", picture, content_type="image/jpeg")
        pool.append(store_image(prepare_image(upload), folder="events"))
    return pool


def _event(spec: Spec, slug: str, now: dt.datetime) -> Event:
    organiser, organiser_url = ORGANISERS[spec.organiser]
    ends = spec.starts.replace(hour=spec.hours[1]) + dt.timedelta(days=spec.days - 1)
    in_person = spec.mode != Event.AttendanceMode.ONLINE
    venue, address = VENUES.get(spec.region or "", ("", ""))
    if spec.title.startswith("Gernas BBI"):
        venue, address = "PKOR Way Halim", "Jl. Sultan Agung, Way Halim, Bandar Lampung"
    opens, closes = spec.window or (None, None)
    if spec.window is None and spec.exhibitors and spec.starts < now:
        # Past events had their window too: two months to two weeks before.
        opens, closes = spec.starts - dt.timedelta(days=60), spec.starts - dt.timedelta(days=14)
    status = spec.status
    return Event(
        kind=spec.kind,
        title=spec.title,
        slug=slug,
        summary=spec.summary,
        description=spec.description,
        starts_at=spec.starts,
        ends_at=ends,
        attendance_mode=spec.mode,
        venue_name=venue if in_person else "",
        venue_address=address if in_person else "",
        region_id=spec.region if in_person else None,
        online_url=spec.online_url,
        organiser=organiser,
        organiser_url=organiser_url,
        status=status,
        published_at=min(now, spec.starts - dt.timedelta(days=30)),
        cancelled_at=now if status == Event.Status.CANCELLED else None,
        cancellation_note=spec.cancellation_note,
        applications_open_at=opens,
        applications_close_at=closes,
        places=spec.places,
    )


def seed(ctx: DemoContext) -> None:
    rng = ctx.rng
    now = timezone.now()
    today = now.astimezone(WIB).date()
    flagships = _flagships(today)
    specs = flagships[: ctx.events] + _generated(rng, today, max(0, ctx.events - len(flagships)))

    slugs: set[str] = set(Event.objects.values_list("slug", flat=True))
    banners = _banner_pool(rng) if specs else []
    events = []
    for n, spec in enumerate(specs):
        base = slugify(spec.title)[:170] or "acara"
        slug, suffix = base, 2
        while slug in slugs:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        slugs.add(slug)
        event = _event(spec, slug, now)
        if n < len(flagships) or n % 10 == 0:
            banner = banners[n % len(banners)]
            event.banner, event.banner_width, event.banner_height = banner.name, banner.width, banner.height
        events.append(event)
    events = Event.objects.bulk_create(events)

    ProgrammeItem.objects.bulk_create(
        ProgrammeItem(
            event=event, starts_at=event.starts_at.replace(hour=hour) + dt.timedelta(days=day), title=title, place=place
        )
        for event, spec in zip(events, specs, strict=True)
        for day, hour, title, place in spec.programme
    )

    ikm_ids = _public_ikm_ids(ctx)
    products_by_ikm: dict[int, list[int]] = defaultdict(list)
    for pk, ikm_id in Product.objects.published().filter(ikm_id__in=ikm_ids).order_by("pk").values_list("pk", "ikm_id"):
        products_by_ikm[ikm_id].append(pk)

    applications, chosen_products, awards = [], [], []
    for event, spec in zip(events, specs, strict=True):
        if not ikm_ids or not spec.exhibitors or event.status == Event.Status.CANCELLED:
            continue
        taking = event.applications_open_at is not None and event.applications_close_at >= now
        exhibitors = rng.sample(ikm_ids, min(spec.exhibitors, len(ikm_ids), spec.places or spec.exhibitors))
        for n, ikm_id in enumerate(exhibitors):
            # While applications are open, some are still waiting for a decision.
            status = Status.ACCEPTED if not taking or n % 3 == 0 else rng.choice([Status.SUBMITTED, Status.WAITLISTED])
            decided = status != Status.SUBMITTED
            submitted = (event.applications_open_at or event.starts_at - dt.timedelta(days=30)) + dt.timedelta(
                hours=rng.randint(1, 200)
            )
            applications.append(
                ExhibitorApplication(
                    event=event,
                    ikm_id=ikm_id,
                    status=status,
                    booth=f"{'ABCD'[n // 15]}{n % 15 + 1:02d}" if status == Status.ACCEPTED else "",
                    submitted_at=min(submitted, now),
                    decided_at=min(submitted + dt.timedelta(days=3), now) if decided else None,
                    note="",
                )
            )
            products = products_by_ikm.get(ikm_id, [])
            chosen_products.append(rng.sample(products, min(len(products), rng.randint(1, 3))) if products else [])
        # Winners among the accepted exhibitors, each prize to a different IKM where possible.
        if spec.awards and event.starts_at < now:
            winners = [a for a in applications[-len(exhibitors) :] if a.status == Status.ACCEPTED]
            rng.shuffle(winners)
            n = 0
            for category, titles in spec.awards:
                for position, title in enumerate(titles):
                    if not winners:
                        break
                    ikm_id = winners[n % len(winners)].ikm_id
                    products = products_by_ikm.get(ikm_id, [])
                    awards.append(
                        Award(
                            event=event,
                            category=category,
                            title=title,
                            ikm_id=ikm_id,
                            product_id=products[0] if products else None,
                            position=position,
                        )
                    )
                    n += 1

    applications = ExhibitorApplication.objects.bulk_create(applications)
    Through = ExhibitorApplication.products.through
    Through.objects.bulk_create(
        Through(exhibitorapplication_id=application.pk, product_id=product_id)
        for application, product_ids in zip(applications, chosen_products, strict=True)
        for product_id in product_ids
    )
    Award.objects.bulk_create(awards)
    ctx.shared["events"] = events
    ctx.log(f"exhibitions: {len(events)} events, {len(applications)} exhibitor applications, {len(awards)} awards")


def has_data() -> bool:
    return Event.objects.exists()
