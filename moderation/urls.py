from django.urls import path

from moderation import views

app_name = "moderation"

urlpatterns = [
    path("laporkan/produk/<slug:slug>/", views.report_product, name="report-product"),
    path("laporkan/ikm/<slug:slug>/", views.report_ikm, name="report-ikm"),
]
