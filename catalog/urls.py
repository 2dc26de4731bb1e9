from django.urls import path

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("produk/", views.product_list, name="product-list"),
]
