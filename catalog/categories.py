"""The category tree, from what Lampung makes (../shared/DOMAIN.md). Loaded by a data migration.

(slug, Indonesian name, English name, [(slug, Indonesian name, English name), ...])
"""

CATEGORIES: list[tuple[str, str, str, list[tuple[str, str, str]]]] = [
    (
        "makanan-minuman",
        "Makanan & Minuman",
        "Food & Drink",
        [
            ("kopi", "Kopi", "Coffee"),
            ("keripik-camilan", "Keripik & Camilan", "Chips & Snacks"),
            ("kue-manisan", "Kue & Manisan", "Cakes & Sweets"),
            ("bumbu-sambal", "Bumbu & Sambal", "Spices & Sambal"),
            ("olahan-ikan", "Olahan Ikan & Hasil Laut", "Fish & Seafood Products"),
            ("madu-minuman", "Madu & Minuman", "Honey & Drinks"),
            ("rempah-lada", "Rempah & Lada", "Spices & Pepper"),
        ],
    ),
    (
        "kain-busana",
        "Kain & Busana",
        "Fabrics & Clothing",
        [
            ("kain-tapis", "Kain Tapis", "Tapis Weaving"),
            ("batik-lampung", "Batik Lampung", "Lampung Batik"),
            ("sulam", "Sulam Usus & Jelujur", "Embroidery"),
            ("pakaian-kaos", "Pakaian & Kaos", "Clothing & T-shirts"),
            ("peci-aksesori", "Peci & Aksesori", "Caps & Accessories"),
        ],
    ),
    (
        "kerajinan",
        "Kerajinan",
        "Crafts",
        [
            ("anyaman", "Anyaman", "Weaving & Basketry"),
            ("tas-dompet", "Tas & Dompet", "Bags & Wallets"),
            ("suvenir", "Suvenir & Seminar Kit", "Souvenirs & Seminar Kits"),
            ("dekorasi", "Dekorasi Rumah", "Home Decor"),
        ],
    ),
    (
        "kayu-mebel",
        "Kayu & Mebel",
        "Wood & Furniture",
        [
            ("mebel", "Mebel", "Furniture"),
            ("kerajinan-kayu", "Kerajinan Kayu", "Woodcraft"),
        ],
    ),
    (
        "logam-mesin",
        "Logam & Mesin",
        "Metal & Machinery",
        [
            ("alat-pertanian", "Alat Pertanian", "Farm Tools"),
            ("mesin-tepat-guna", "Mesin Tepat Guna", "Appropriate-Technology Machines"),
            ("kerajinan-logam", "Kerajinan Logam", "Metalwork"),
        ],
    ),
    (
        "kimia-kosmetik",
        "Kimia, Herbal & Kosmetik",
        "Chemicals, Herbal & Cosmetics",
        [
            ("herbal-jamu", "Herbal & Jamu", "Herbal & Jamu"),
            ("kosmetik-sabun", "Kosmetik & Sabun", "Cosmetics & Soap"),
            ("bahan-bangunan", "Bahan Bangunan", "Building Materials"),
        ],
    ),
    (
        "aneka",
        "Aneka Produk",
        "Other Products",
        [
            ("lainnya", "Lainnya", "Other"),
        ],
    ),
]
