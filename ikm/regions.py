"""The 15 kabupaten/kota of Lampung (province 18), from ../shared/DOMAIN.md.

Two numbering schemes differ for the first eight: Kemendagri (Permendagri 72/2019, used by
OSS and shown/filtered by Galeri) and BPS (statistics). Loaded by a data migration.
"""

# (Kemendagri code, BPS code, name, kind, seat, slug)
REGIONS: list[tuple[str, str, str, str, str, str]] = [
    ("18.01", "1803", "Kabupaten Lampung Selatan", "kabupaten", "Kalianda", "lampung-selatan"),
    ("18.02", "1805", "Kabupaten Lampung Tengah", "kabupaten", "Gunung Sugih", "lampung-tengah"),
    ("18.03", "1806", "Kabupaten Lampung Utara", "kabupaten", "Kotabumi", "lampung-utara"),
    ("18.04", "1801", "Kabupaten Lampung Barat", "kabupaten", "Liwa", "lampung-barat"),
    ("18.05", "1808", "Kabupaten Tulang Bawang", "kabupaten", "Menggala", "tulang-bawang"),
    ("18.06", "1802", "Kabupaten Tanggamus", "kabupaten", "Kota Agung", "tanggamus"),
    ("18.07", "1804", "Kabupaten Lampung Timur", "kabupaten", "Sukadana", "lampung-timur"),
    ("18.08", "1807", "Kabupaten Way Kanan", "kabupaten", "Blambangan Umpu", "way-kanan"),
    ("18.09", "1809", "Kabupaten Pesawaran", "kabupaten", "Gedong Tataan", "pesawaran"),
    ("18.10", "1810", "Kabupaten Pringsewu", "kabupaten", "Pringsewu", "pringsewu"),
    ("18.11", "1811", "Kabupaten Mesuji", "kabupaten", "Wiralaga Mulya", "mesuji"),
    ("18.12", "1812", "Kabupaten Tulang Bawang Barat", "kabupaten", "Panaragan Jaya", "tulang-bawang-barat"),
    ("18.13", "1813", "Kabupaten Pesisir Barat", "kabupaten", "Krui", "pesisir-barat"),
    ("18.71", "1871", "Kota Bandar Lampung", "kota", "", "bandar-lampung"),
    ("18.72", "1872", "Kota Metro", "kota", "", "metro"),
]
