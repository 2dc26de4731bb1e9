from django.urls import path

from catalog.views import owner, public

app_name = "catalog"

urlpatterns = [
    path("produk/", public.product_list, name="product-list"),
    path("produk/<slug:slug>/", public.product_detail, name="product-detail"),
    # Owner pages (catalog/views/owner.py).
    path("dasbor/produk/", owner.product_list, name="owner-product-list"),
    path("dasbor/produk/baru/", owner.product_create, name="owner-product-create"),
    path("dasbor/produk/<int:pk>/ubah/", owner.product_update, name="owner-product-update"),
    path("dasbor/produk/<int:pk>/foto/", owner.product_photos, name="owner-product-photos"),
    path("dasbor/produk/<int:pk>/foto/<int:photo_pk>/hapus/", owner.photo_remove, name="owner-photo-remove"),
    path("dasbor/produk/<int:pk>/foto/<int:photo_pk>/pindah/", owner.photo_move, name="owner-photo-move"),
    path("dasbor/produk/<int:pk>/ajukan/", owner.product_submit, name="owner-product-submit"),
    path("dasbor/produk/<int:pk>/arsipkan/", owner.product_archive, name="owner-product-archive"),
    path("dasbor/produk/<int:pk>/pulihkan/", owner.product_unarchive, name="owner-product-unarchive"),
    path("dasbor/sertifikat/", owner.certification_list, name="owner-certification-list"),
    path("dasbor/sertifikat/baru/", owner.certification_create, name="owner-certification-create"),
    path("dasbor/sertifikat/<int:pk>/ubah/", owner.certification_update, name="owner-certification-update"),
    path("dasbor/sertifikat/<int:pk>/dokumen/", owner.certification_document, name="owner-certification-document"),
]
