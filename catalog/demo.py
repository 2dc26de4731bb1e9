"""Demo products of Lampung for ``seed_demo``: every category, photos, prices, certificates, most published.

Fast at scale (50,000 products in well under a minute of this step): rows are built in memory and
written with ``bulk_create`` in batches, slugs are precomputed (``<slugify(name)>-<n>``, unique by
construction), photos reuse a small pool of images stored once through ``galeri.images``, and the
certificates' product links go in through the M2M's through model. PostgreSQL's search vector is kept by
a trigger, so bulk inserts need nothing more. Everything comes from ``ctx.rng``: a seed always builds
the same catalog.
"""

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from catalog.certificate_numbers import ISSUERS, CertificateType
from catalog.models import Category, Certification, Product, ProductPhoto
from galeri.demo import DemoContext, draw_demo_photo
from galeri.images import prepare_image, store_image
from ikm.models import IKM, Region, Sector

BATCH = 1000
# Distinct pictures stored at most; products share them so 50,000 products need no 100,000 files.
POOL_SIZE = 40

Status = Product.Status
Unit = Product.Unit
Avail = Product.Availability


@dataclass(frozen=True)
class Line:
    """A product line of a category: names, variants and the numbers that make it believable."""

    names: tuple[str, ...]
    variants: tuple[str, ...]
    unit: str
    price: tuple[int, int]  # plausible price range for one unit, in rupiah
    blurb: str  # one sentence; {name}, {region} and {ikm} are filled in
    net: tuple[float, str] | None = None  # net amount and unit, for packed goods
    shelf_life: tuple[int, int] | None = None  # days, for food
    min_order: tuple[int, ...] = (1,)
    capacity: tuple[int, int] = (100, 2000)  # units per month
    preorder_share: float = 0.1
    lead_time: tuple[int, int] = (3, 14)
    tkdn_share: float = 0.0


@dataclass
class CategorySpec:
    sector: str
    lines: tuple[Line, ...]
    certificates: tuple[str, ...] = ()  # types an IKM making this is likely to hold
    details: tuple[str, ...] = field(default_factory=tuple)  # extra sentences for descriptions


FOOD_DETAILS = (
    "Dibuat tanpa bahan pengawet dan dikemas rapat agar tetap renyah dan segar.",
    "Bahan baku dibeli langsung dari petani sekitar, diolah di dapur produksi yang bersih.",
    "Cocok untuk oleh-oleh khas Lampung, hantaran, maupun stok warung dan toko.",
    "Melayani pesanan partai besar untuk reseller, hotel, dan kantor pemerintah.",
)
CRAFT_DETAILS = (
    "Setiap potong dikerjakan tangan oleh perajin setempat, sehingga motifnya bisa sedikit berbeda.",
    "Bisa dipesan dengan motif, ukuran, atau warna khusus untuk seragam dan cendera mata instansi.",
    "Cocok untuk hadiah, dekorasi, maupun koleksi kerajinan khas Lampung.",
    "Dikemas aman untuk pengiriman ke seluruh Indonesia.",
)
MACHINE_DETAILS = (
    "Dirakit di bengkel sendiri dengan suku cadang yang mudah didapat di Lampung.",
    "Garansi servis enam bulan dan pelatihan singkat cara pemakaian.",
    "Sudah dipakai kelompok tani dan UKM di berbagai kabupaten.",
    "Melayani pengadaan pemerintah melalui e-Katalog.",
)

CATALOG: dict[str, CategorySpec] = {
    "kopi": CategorySpec(
        Sector.PANGAN,
        (
            Line(
                (
                    "Kopi Robusta Lampung Barat",
                    "Kopi Bubuk Robusta Liwa",
                    "Kopi Robusta Tanggamus Sangrai",
                    "Kopi Robusta Way Kanan Biji",
                    "Kopi Robusta Petik Merah",
                    "Kopi Luwak Lampung",
                ),
                ("200 g", "250 g", "500 g", "1 kg"),
                Unit.PACK,
                (25_000, 180_000),
                "{name} dari kebun rakyat di {region}, disangrai sedang sehingga aromanya kuat dan pahitnya pas.",
                net=(250, "g"),
                shelf_life=(180, 365),
                min_order=(1, 5, 10),
                tkdn_share=0.1,
            ),
            Line(
                ("Kopi Susu Gula Aren Siap Seduh", "Kopi Jahe Sachet", "Kopi Rempah Lampung"),
                ("isi 10 sachet", "isi 20 sachet"),
                Unit.KOTAK,
                (20_000, 60_000),
                "{name} praktis diseduh di mana saja, dibuat dari robusta {region}.",
                net=(200, "g"),
                shelf_life=(180, 365),
            ),
        ),
        certificates=("halal", "pirt", "ig"),
        details=FOOD_DETAILS,
    ),
    "keripik-camilan": CategorySpec(
        Sector.PANGAN,
        (
            Line(
                (
                    "Keripik Pisang Cokelat",
                    "Keripik Pisang Original",
                    "Keripik Pisang Keju",
                    "Keripik Pisang Balado",
                    "Keripik Pisang Green Tea",
                    "Keripik Pisang Susu",
                ),
                ("250 g", "500 g", "1 kg"),
                Unit.PACK,
                (15_000, 60_000),
                "{name} khas sentra keripik Bandar Lampung, dari pisang kepok pilihan, diiris tipis dan renyah.",
                net=(250, "g"),
                shelf_life=(60, 120),
                min_order=(1, 10, 20),
                capacity=(500, 5000),
            ),
            Line(
                ("Keripik Singkong Pedas", "Keripik Ubi Ungu", "Emping Melinjo", "Kemplang Ikan Tenggiri"),
                ("250 g", "500 g"),
                Unit.PACK,
                (12_000, 55_000),
                "{name} buatan {ikm}, digoreng dengan minyak baru setiap hari.",
                net=(250, "g"),
                shelf_life=(60, 120),
                min_order=(1, 10),
                capacity=(300, 4000),
            ),
        ),
        certificates=("halal", "pirt", "bpom"),
        details=FOOD_DETAILS,
    ),
    "kue-manisan": CategorySpec(
        Sector.PANGAN,
        (
            Line(
                ("Lempok Durian", "Dodol Durian", "Lapis Legit Lampung", "Bolu Pandan", "Engkak Ketan"),
                ("250 g", "500 g", "1 loyang"),
                Unit.KOTAK,
                (25_000, 150_000),
                "{name} resep turun-temurun dari {region}, manis legit tanpa pengawet.",
                net=(500, "g"),
                shelf_life=(7, 60),
                capacity=(100, 1500),
                preorder_share=0.3,
                lead_time=(2, 5),
            ),
        ),
        certificates=("halal", "pirt"),
        details=FOOD_DETAILS,
    ),
    "bumbu-sambal": CategorySpec(
        Sector.PANGAN,
        (
            Line(
                ("Sambal Lampung", "Sambal Seruit", "Sambal Tempoyak", "Sambal Terasi Bawang", "Sambal Cumi Pedas"),
                ("150 g", "250 g"),
                Unit.BOTOL,
                (18_000, 45_000),
                "{name} pedas gurih khas {region}, cocok untuk ikan bakar dan lalapan.",
                net=(200, "g"),
                shelf_life=(90, 180),
                min_order=(1, 6, 12),
            ),
            Line(
                ("Terasi Udang Lampung", "Bumbu Pindang Kemasan"),
                ("100 g", "250 g"),
                Unit.PACK,
                (8_000, 30_000),
                "{name} dari udang dan rempah pilihan {region}.",
                net=(100, "g"),
                shelf_life=(180, 365),
            ),
        ),
        certificates=("halal", "pirt", "bpom"),
        details=FOOD_DETAILS,
    ),
    "olahan-ikan": CategorySpec(
        Sector.PANGAN,
        (
            Line(
                ("Ikan Teri Pulau Pasaran", "Ikan Asin Jambal", "Abon Ikan Tuna", "Kerupuk Kemplang Panggang"),
                ("250 g", "500 g", "1 kg"),
                Unit.PACK,
                (20_000, 140_000),
                "{name} hasil nelayan {region}, dijemur dan dikemas higienis.",
                net=(250, "g"),
                shelf_life=(60, 180),
                capacity=(200, 3000),
            ),
        ),
        certificates=("halal", "pirt", "bpom"),
        details=FOOD_DETAILS,
    ),
    "madu-minuman": CategorySpec(
        Sector.PANGAN,
        (
            Line(
                ("Madu Hutan Lampung", "Madu Kelulut", "Sirup Kayu Manis", "Wedang Jahe Merah Instan"),
                ("250 ml", "500 ml", "1 liter"),
                Unit.BOTOL,
                (30_000, 200_000),
                "{name} asli {region}, dipanen dan dikemas sendiri oleh {ikm}.",
                net=(500, "ml"),
                shelf_life=(180, 730),
            ),
        ),
        certificates=("halal", "pirt", "bpom"),
        details=FOOD_DETAILS,
    ),
    "rempah-lada": CategorySpec(
        Sector.PANGAN,
        (
            Line(
                ("Lada Hitam Lampung", "Lada Putih Butiran", "Lada Hitam Bubuk", "Kayu Manis Batang", "Cengkeh Kering"),
                ("100 g", "250 g", "1 kg"),
                Unit.PACK,
                (15_000, 250_000),
                "{name} dari kebun rakyat {region}, disortir dan dijemur sampai kering sempurna.",
                net=(250, "g"),
                shelf_life=(365, 730),
                min_order=(1, 10),
                capacity=(200, 5000),
            ),
        ),
        certificates=("halal", "pirt", "ig"),
        details=FOOD_DETAILS,
    ),
    "kain-tapis": CategorySpec(
        Sector.SANDANG,
        (
            Line(
                ("Kain Tapis Jung Sarat", "Kain Tapis Raja Medal", "Tapis Motif Pucuk Rebung", "Selendang Tapis"),
                ("benang emas", "benang perak", "ukuran 2 m"),
                Unit.LEMBAR,
                (750_000, 15_000_000),
                "{name} ditenun dan disulam tangan dengan benang emas oleh perajin {region}.",
                capacity=(5, 40),
                preorder_share=0.5,
                lead_time=(14, 60),
                tkdn_share=0.2,
            ),
        ),
        certificates=("sni", "tkdn"),
        details=CRAFT_DETAILS,
    ),
    "batik-lampung": CategorySpec(
        Sector.SANDANG,
        (
            Line(
                ("Batik Lampung Motif Siger", "Batik Tulis Kapal", "Batik Cap Gajah Lampung", "Kemeja Batik Lampung"),
                ("katun", "sutra", "katun primisima"),
                Unit.LEMBAR,
                (150_000, 2_500_000),
                "{name} bermotif khas Lampung, dikerjakan di {region} dengan pewarna yang tahan luntur.",
                capacity=(20, 300),
                preorder_share=0.3,
                lead_time=(7, 30),
                tkdn_share=0.2,
            ),
        ),
        certificates=("sni", "tkdn"),
        details=CRAFT_DETAILS,
    ),
    "sulam": CategorySpec(
        Sector.SANDANG,
        (
            Line(
                ("Kebaya Sulam Usus", "Selendang Sulam Jelujur", "Taplak Sulam Usus", "Bros Sulam Usus"),
                ("ukuran M", "ukuran L", "ukuran bebas"),
                Unit.PCS,
                (50_000, 1_500_000),
                "{name} dirangkai tangan dari kain satin oleh perajin sulam {region}.",
                capacity=(10, 200),
                preorder_share=0.4,
                lead_time=(7, 30),
            ),
        ),
        details=CRAFT_DETAILS,
    ),
    "pakaian-kaos": CategorySpec(
        Sector.SANDANG,
        (
            Line(
                ("Kaos Lampung Siger", "Kaos Sablon Krakatau", "Kemeja Tapis Pria", "Gamis Motif Tapis"),
                ("S", "M", "L", "XL"),
                Unit.PCS,
                (60_000, 450_000),
                "{name} berbahan nyaman dengan desain khas Lampung dari {ikm}.",
                min_order=(1, 12),
                capacity=(100, 3000),
                tkdn_share=0.15,
            ),
        ),
        certificates=("sni", "tkdn"),
        details=CRAFT_DETAILS,
    ),
    "peci-aksesori": CategorySpec(
        Sector.SANDANG,
        (
            Line(
                ("Peci Tapis", "Kopiah Motif Lampung", "Dompet Tapis", "Bros Siger"),
                ("hitam", "merah marun", "emas"),
                Unit.PCS,
                (35_000, 250_000),
                "{name} dihias motif tapis, buatan tangan perajin {region}.",
                min_order=(1, 10),
                capacity=(50, 1000),
            ),
        ),
        details=CRAFT_DETAILS,
    ),
    "anyaman": CategorySpec(
        Sector.KERAJINAN,
        (
            Line(
                ("Anyaman Tikew", "Tikar Anyaman Purun", "Keranjang Rotan", "Tas Anyaman Pandan"),
                ("ukuran kecil", "ukuran sedang", "ukuran besar"),
                Unit.PCS,
                (30_000, 600_000),
                "{name} dianyam tangan oleh perajin {region} dari bahan alam yang dikeringkan.",
                capacity=(20, 500),
                preorder_share=0.3,
            ),
        ),
        details=CRAFT_DETAILS,
    ),
    "tas-dompet": CategorySpec(
        Sector.KERAJINAN,
        (
            Line(
                ("Tas Tapis Wanita", "Clutch Tapis", "Dompet Kulit Motif Siger", "Tas Laptop Tapis"),
                ("kecil", "sedang", "besar"),
                Unit.PCS,
                (75_000, 900_000),
                "{name} memadukan kain tapis dan kulit sintetis, dijahit rapi oleh {ikm}.",
                capacity=(20, 400),
            ),
        ),
        details=CRAFT_DETAILS,
    ),
    "suvenir": CategorySpec(
        Sector.KERAJINAN,
        (
            Line(
                ("Miniatur Siger", "Gantungan Kunci Gajah", "Seminar Kit Tapis", "Plakat Kayu Ukir"),
                ("satuan", "isi 10", "isi 50"),
                Unit.PCS,
                (10_000, 350_000),
                "{name} untuk cendera mata tamu, seminar, dan acara instansi di {region}.",
                min_order=(1, 25, 50, 100),
                capacity=(200, 5000),
                tkdn_share=0.2,
            ),
        ),
        certificates=("tkdn",),
        details=CRAFT_DETAILS,
    ),
    "dekorasi": CategorySpec(
        Sector.KERAJINAN,
        (
            Line(
                ("Hiasan Dinding Tapis", "Lampu Hias Bambu", "Vas Anyaman", "Bingkai Motif Kapal"),
                ("ukuran 30 cm", "ukuran 60 cm"),
                Unit.PCS,
                (40_000, 750_000),
                "{name} buatan tangan, memberi sentuhan khas Lampung di rumah dan kantor.",
                capacity=(20, 300),
            ),
        ),
        details=CRAFT_DETAILS,
    ),
    "mebel": CategorySpec(
        Sector.KAYU_FURNITUR,
        (
            Line(
                ("Kursi Tamu Jati", "Meja Makan Mahoni", "Lemari Pakaian Jati", "Kursi Kantor Kayu", "Meja Sekolah"),
                ("finishing natural", "finishing duco", "set 4 kursi"),
                Unit.SET,
                (850_000, 25_000_000),
                "{name} dari kayu kering oven, dikerjakan di bengkel {ikm} di {region}.",
                capacity=(5, 80),
                preorder_share=0.6,
                lead_time=(14, 45),
                tkdn_share=0.35,
            ),
        ),
        certificates=("sni", "tkdn"),
        details=CRAFT_DETAILS,
    ),
    "kerajinan-kayu": CategorySpec(
        Sector.KAYU_FURNITUR,
        (
            Line(
                ("Ukiran Kayu Siger", "Talenan Kayu Sonokeling", "Nampan Kayu Motif Tapis", "Jam Dinding Kayu"),
                ("kecil", "sedang", "besar"),
                Unit.PCS,
                (35_000, 1_200_000),
                "{name} dipahat tangan dari kayu pilihan oleh perajin {region}.",
                capacity=(20, 400),
            ),
        ),
        details=CRAFT_DETAILS,
    ),
    "alat-pertanian": CategorySpec(
        Sector.LOGAM_ELEKTRONIKA,
        (
            Line(
                ("Cangkul Baja", "Parang Kebun", "Sabit Rumput", "Arit Panen Padi", "Garu Tangan"),
                ("gagang kayu", "gagang besi"),
                Unit.PCS,
                (35_000, 250_000),
                "{name} ditempa dari baja per oleh pandai besi {region}, tajam dan awet.",
                min_order=(1, 10, 50),
                capacity=(100, 2000),
                tkdn_share=0.4,
            ),
        ),
        certificates=("sni", "tkdn"),
        details=MACHINE_DETAILS,
    ),
    "mesin-tepat-guna": CategorySpec(
        Sector.LOGAM_ELEKTRONIKA,
        (
            Line(
                ("Mesin Pengupas Kopi", "Mesin Perajang Singkong", "Mesin Sangrai Kopi", "Mesin Pencacah Rumput"),
                ("kapasitas 50 kg/jam", "kapasitas 100 kg/jam", "mesin diesel", "mesin listrik"),
                Unit.PCS,
                (3_500_000, 45_000_000),
                "{name} teknologi tepat guna buatan {ikm}, cocok untuk UKM dan kelompok tani.",
                capacity=(2, 30),
                preorder_share=0.7,
                lead_time=(14, 45),
                tkdn_share=0.5,
            ),
        ),
        certificates=("sni", "tkdn"),
        details=MACHINE_DETAILS,
    ),
    "kerajinan-logam": CategorySpec(
        Sector.LOGAM_ELEKTRONIKA,
        (
            Line(
                ("Siger Kuningan", "Pisau Dapur Tempa", "Hiasan Dinding Tembaga", "Trofi Logam"),
                ("kecil", "sedang", "besar"),
                Unit.PCS,
                (50_000, 2_000_000),
                "{name} dikerjakan tangan oleh perajin logam {region}.",
                capacity=(10, 300),
            ),
        ),
        details=CRAFT_DETAILS,
    ),
    "herbal-jamu": CategorySpec(
        Sector.KIMIA_BAHAN_BANGUNAN,
        (
            Line(
                ("Jamu Kunyit Asam", "Serbuk Temulawak", "Minyak Urut Herbal", "Teh Daun Kelor"),
                ("100 g", "250 ml", "isi 20 kantong"),
                Unit.BOTOL,
                (15_000, 85_000),
                "{name} dari tanaman obat {region}, diracik higienis oleh {ikm}.",
                net=(250, "ml"),
                shelf_life=(180, 730),
            ),
        ),
        certificates=("halal", "bpom", "pirt"),
        details=FOOD_DETAILS,
    ),
    "kosmetik-sabun": CategorySpec(
        Sector.KIMIA_BAHAN_BANGUNAN,
        (
            Line(
                ("Sabun Herbal Kopi", "Sabun Sereh Wangi", "Lulur Kopi Lampung", "Minyak Kemiri Rambut"),
                ("100 g", "250 g", "isi 3"),
                Unit.PCS,
                (12_000, 95_000),
                "{name} dari bahan alami {region}, lembut di kulit dan tanpa pewarna buatan.",
                net=(100, "g"),
                shelf_life=(365, 730),
            ),
        ),
        certificates=("halal", "bpom"),
        details=CRAFT_DETAILS,
    ),
    "bahan-bangunan": CategorySpec(
        Sector.KIMIA_BAHAN_BANGUNAN,
        (
            Line(
                ("Batu Bata Merah", "Genteng Tanah Liat", "Paving Block", "Batako Press"),
                ("per 1.000 buah", "per palet"),
                Unit.PCS,
                (600, 6_000),
                "{name} hasil cetak {ikm} di {region}, kuat dan ukurannya seragam.",
                min_order=(500, 1000),
                capacity=(10_000, 200_000),
                tkdn_share=0.3,
            ),
        ),
        certificates=("sni", "tkdn"),
        details=MACHINE_DETAILS,
    ),
    "lainnya": CategorySpec(
        Sector.ANEKA,
        (
            Line(
                ("Lilin Aromaterapi", "Mainan Kayu Edukatif", "Pupuk Organik Cair", "Briket Arang Batok Kelapa"),
                ("kecil", "sedang", "isi 5"),
                Unit.PCS,
                (15_000, 200_000),
                "{name} buatan {ikm} di {region}.",
                capacity=(50, 2000),
            ),
        ),
        details=CRAFT_DETAILS,
    ),
}

# Status mix of products of a verified, active IKM (cumulative thresholds).
_STATUS_MIX = (
    (0.85, Status.PUBLISHED),
    (0.91, Status.PENDING),
    (0.95, Status.NEEDS_CHANGES),
    (0.98, Status.DRAFT),
    (1.00, Status.ARCHIVED),
)
_CHANGE_REASONS = (
    "Foto utama buram. Mohon unggah foto produk yang lebih terang dan jelas.",
    "Harga belum sesuai satuan. Mohon tulis harga per pack, bukan per karton.",
    "Deskripsi terlalu singkat. Jelaskan bahan, ukuran, dan berat bersih produk.",
    "Nomor P-IRT pada label belum terlihat di foto. Mohon tambahkan foto label kemasan.",
)
_REJECT_REASONS = (
    "Pindaian sertifikat tidak terbaca. Mohon unggah ulang dengan resolusi lebih tinggi.",
    "Nomor sertifikat tidak ditemukan di situs penerbit.",
)
MAX_FEATURED = 24


def has_data() -> bool:
    return Product.objects.exists()


def seed(ctx: DemoContext) -> None:
    rng = ctx.rng
    ikm_list = list(ctx.shared.get("ikm") or IKM.objects.order_by("pk"))
    if not ikm_list or ctx.products <= 0:
        ctx.log("catalog: no IKM or no products asked for; skipped.")
        return
    regions = {r.code: r.name.removeprefix("Kabupaten ").removeprefix("Kota ") for r in Region.objects.all()}
    leaves = list(Category.objects.filter(parent__isnull=False).order_by("parent__position", "position", "pk"))
    by_sector: dict[str, list[IKM]] = defaultdict(list)
    for ikm in ikm_list:
        by_sector[ikm.sector].append(ikm)

    pool = _photo_pool(rng, min(POOL_SIZE, ctx.products))
    now = timezone.now()
    # Slugs are <name>-<n>; starting past the highest id keeps them unique beside earlier products.
    offset = Product.objects.aggregate(last=Max("pk"))["last"] or 0
    made: dict[int, list[tuple[int, str, str]]] = defaultdict(list)  # ikm pk → [(product pk, category slug, status)]
    featured = 0
    total_photos = 0
    for start in range(0, ctx.products, BATCH):
        products = []
        for n in range(start, min(start + BATCH, ctx.products)):
            # The first products go round the categories, so every category has some, however small the run.
            category = leaves[n % len(leaves)] if n < len(leaves) else leaves[rng.randrange(len(leaves))]
            spec = CATALOG.get(category.slug) or CATALOG["lainnya"]
            makers = by_sector.get(spec.sector) or ikm_list
            ikm = makers[rng.randrange(len(makers))]
            product = _build_product(rng, offset + n, category, spec, ikm, regions, now)
            if product.status == Status.PUBLISHED and featured < MAX_FEATURED and rng.random() < 0.02:
                product.is_featured = True
                featured += 1
            products.append(product)
        Product.objects.bulk_create(products, batch_size=BATCH)
        photos = []
        for product in products:
            made[product.ikm_id].append((product.pk, product.category.slug, product.status))
            for position in range(rng.choice((1, 1, 2, 2, 3))):
                name, width, height = pool[rng.randrange(len(pool))]
                photos.append(
                    ProductPhoto(
                        product_id=product.pk,
                        image=name,
                        width=width,
                        height=height,
                        alt_text=product.name if position == 0 else f"{product.name}, foto {position + 1}",
                        position=position,
                    )
                )
        ProductPhoto.objects.bulk_create(photos, batch_size=BATCH)
        total_photos += len(photos)
    certificates, links = _seed_certifications(rng, ikm_list, made, now)
    ctx.shared["products_by_ikm"] = made
    ctx.log(
        f"catalog: {ctx.products} products in {len(leaves)} categories, {total_photos} photos "
        f"({len(pool)} distinct images), {certificates} certificates covering {links} products, {featured} featured."
    )


def _photo_pool(rng: random.Random, size: int) -> list[tuple[str, int, int]]:
    """Draw and store ``size`` pictures once through the one image pipeline; products share them."""
    pool = []
    for i in range(max(size, 1)):
        upload = SimpleUploadedFile(f"demo-{i}.jpg", draw_demo_photo(rng), content_type="image/jpeg")
        stored = store_image(prepare_image(upload), folder="products")
        pool.append((stored.name, stored.width, stored.height))
    return pool


def _round_price(value: float) -> int:
    """Prices as shops write them: to Rp100 below Rp10.000, Rp500 below Rp100.000, then coarser."""
    step = 100 if value < 10_000 else 500 if value < 100_000 else 5_000 if value < 2_000_000 else 50_000
    return max(step, round(value / step) * step)


def _build_product(
    rng: random.Random,
    n: int,
    category: Category,
    spec: CategorySpec,
    ikm: IKM,
    regions: dict[str, str],
    now: dt.datetime,
) -> Product:
    line = spec.lines[rng.randrange(len(spec.lines))]
    base = line.names[rng.randrange(len(line.names))]
    variant = line.variants[rng.randrange(len(line.variants))]
    name = f"{base} {variant}"
    region = regions.get(ikm.region_id, "Lampung")
    low, high = line.price
    price = _round_price(low * (high / low) ** rng.random())
    kind = rng.random()
    if kind < 0.08:
        price_min = price_max = None  # harga nego
    elif kind < 0.25:
        price_min, price_max = price, _round_price(price * rng.uniform(1.3, 2.5))
        if price_max <= price_min:
            price_max = None
    else:
        price_min, price_max = price, None
    sentences = [line.blurb.format(name=base, region=region, ikm=ikm.name)]
    if spec.details:
        sentences += rng.sample(spec.details, k=min(2, len(spec.details)))
    short = sentences[0] if len(sentences[0]) <= 200 else sentences[0][:197].rsplit(" ", 1)[0] + "…"
    preorder = rng.random() < line.preorder_share
    status = _status_for(rng, ikm)
    published_at = None
    if status in (Status.PUBLISHED, Status.ARCHIVED) or (status == Status.NEEDS_CHANGES and rng.random() < 0.3):
        published_at = now - dt.timedelta(days=rng.uniform(0, 720))
    product = Product(
        ikm=ikm,
        name=name,
        slug=f"{slugify(name)[:120]}-{n + 1}",
        category=category,
        short_description=short,
        description="\n\n".join(sentences),
        price_min=price_min,
        price_max=price_max,
        unit=line.unit,
        min_order=rng.choice(line.min_order),
        capacity_per_month=int(rng.uniform(*line.capacity)),
        capacity_unit=line.unit,
        availability=Product.Availability.PREORDER
        if preorder
        else (Product.Availability.OUT_OF_STOCK if rng.random() < 0.04 else Product.Availability.READY),
        lead_time_days=rng.randint(*line.lead_time) if preorder else None,
        status=status,
        status_reason=rng.choice(_CHANGE_REASONS) if status == Status.NEEDS_CHANGES else "",
        published_at=published_at,
        submitted_at=(published_at or now) - dt.timedelta(days=rng.uniform(0.5, 5)),
        review_requested_at=now - dt.timedelta(hours=rng.uniform(1, 72))
        if status == Status.PUBLISHED and rng.random() < 0.02
        else None,
        view_count=int(rng.paretovariate(1.3) * 15) if status == Status.PUBLISHED else 0,
    )
    if line.net:
        amount, unit = line.net
        product.net_amount = Decimal(str(amount))
        product.net_unit = unit
    if line.shelf_life:
        product.shelf_life_days = rng.randint(*line.shelf_life)
    if rng.random() < line.tkdn_share:
        product.tkdn_percent = Decimal(rng.randint(2500, 9000)) / 100
    if status == Status.DRAFT:
        product.submitted_at = None
    return product


def _status_for(rng: random.Random, ikm: IKM) -> str:
    if not ikm.is_public:
        # Only a verified, active IKM publishes: the others' products wait as drafts.
        return Status.DRAFT
    roll = rng.random()
    return next(status for threshold, status in _STATUS_MIX if roll < threshold)


def _digits(rng: random.Random, count: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(count))


def _seed_certifications(
    rng: random.Random, ikm_list: list[IKM], made: dict[int, list[tuple[int, str, str]]], now: dt.datetime
) -> tuple[int, int]:
    """Certificates per IKM for the kinds its products need; most verified, some pending, a few expired."""
    today = timezone.localdate()
    certifications: list[Certification] = []
    covered: list[list[int]] = []
    for ikm in ikm_list:
        products = made.get(ikm.pk)
        if not products:
            continue
        wanted: dict[str, list[int]] = defaultdict(list)
        for pk, slug, _status in products:
            for cert_type in (CATALOG.get(slug) or CATALOG["lainnya"]).certificates:
                wanted[cert_type].append(pk)
        for cert_type, pks in wanted.items():
            if cert_type == "ig":
                # A geographical indication covers only the coffee or the pepper it names.
                kind = {"kopi": "Kopi Robusta Lampung", "rempah-lada": "Lada Hitam Lampung"}
                for slug, gi_name in kind.items():
                    gi_pks = [pk for pk, s, _ in products if s == slug]
                    if gi_pks and rng.random() < 0.5:
                        certifications.append(_certification(rng, ikm, "ig", gi_name, today, now))
                        covered.append(gi_pks)
                continue
            if rng.random() > {"halal": 0.75, "pirt": 0.6, "bpom": 0.25, "sni": 0.2, "tkdn": 0.25}[cert_type]:
                continue
            number = _number(rng, cert_type, ikm, today)
            certifications.append(_certification(rng, ikm, cert_type, number, today, now))
            covered.append(pks if cert_type in ("halal", "tkdn") else rng.sample(pks, k=max(1, len(pks) // 2)))
    Certification.objects.bulk_create(certifications, batch_size=BATCH)
    through = Certification.products.through
    links = [
        through(certification_id=certification.pk, product_id=pk)
        for certification, pks in zip(certifications, covered, strict=True)
        for pk in pks
    ]
    through.objects.bulk_create(links, batch_size=BATCH * 5)
    return len(certifications), len(links)


def _number(rng: random.Random, cert_type: str, ikm: IKM, today: dt.date) -> str:
    """A number in the stored form of its type's rule (catalog/certificate_numbers.py)."""
    if cert_type == "halal":  # ID, two digits like the province code, 15 more
        return "ID" + ikm.region_id.replace(".", "")[:2] + _digits(rng, 15)
    if cert_type == "pirt":  # 13 digits, then the year of expiry
        return _digits(rng, 13) + f"{(today.year + rng.randint(-1, 4)) % 100:02d}"
    if cert_type == "bpom":
        return "MD" + _digits(rng, 12)
    if cert_type == "sni":
        return f"LSPro-{rng.randint(1, 99):02d}/SNI/{_digits(rng, 5)}"
    return f"{rng.randint(1, 9999)}/SJ-IKMA/TKDN-IK/{today.year - rng.randint(0, 2)}"


def _certification(
    rng: random.Random, ikm: IKM, cert_type: str, number: str, today: dt.date, now: dt.datetime
) -> Certification:
    issued = today - dt.timedelta(days=rng.randint(30, 1500))
    expires = None
    if cert_type in ("pirt", "bpom", "sni", "tkdn"):
        years = {"pirt": 5, "bpom": 5, "sni": 4, "tkdn": 3}[cert_type]
        expires = issued + dt.timedelta(days=365 * years)
    roll = rng.random()
    status = Certification.Status.VERIFIED if roll < 0.82 else Certification.Status.PENDING
    if 0.96 < roll:
        status = Certification.Status.REJECTED
    if status == Certification.Status.VERIFIED and expires and rng.random() < 0.04:
        expires = today - dt.timedelta(days=rng.randint(1, 200))  # a couple expired: no badge any more
        issued = min(issued, expires - dt.timedelta(days=365))
    return Certification(
        ikm=ikm,
        type=cert_type,
        number=number,
        issuer=ISSUERS.get(CertificateType(cert_type), ""),
        issued_on=issued,
        expires_on=expires,
        status=status,
        status_reason=rng.choice(_REJECT_REASONS) if status == Certification.Status.REJECTED else "",
        verified_at=now - dt.timedelta(days=rng.randint(1, 300)) if status == Certification.Status.VERIFIED else None,
    )
