from django.urls import path

from catalog.views import public

app_name = "catalog"

urlpatterns = [
    path("produk/", public.product_list, name="product-list"),
    path("produk/<slug:slug>/", public.product_detail, name="product-detail"),
]
