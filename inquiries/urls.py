from django.urls import path

from inquiries import views

app_name = "inquiries"

urlpatterns = [
    # Buyers: the form (GET shows it on its own page, POST sends it) and the thank-you page.
    path("tanya/produk/<slug:slug>/", views.inquiry_product, name="ask-product"),
    path("tanya/produk/<slug:slug>/terkirim/", views.inquiry_sent_product, name="sent-product"),
    path("tanya/ikm/<slug:slug>/", views.inquiry_ikm, name="ask-ikm"),
    path("tanya/ikm/<slug:slug>/terkirim/", views.inquiry_sent_ikm, name="sent-ikm"),
    # The counted WhatsApp buttons: 302 to wa.me.
    path("wa/produk/<slug:slug>/", views.whatsapp_product, name="whatsapp-product"),
    path("wa/ikm/<slug:slug>/", views.whatsapp_ikm, name="whatsapp-ikm"),
    # The owner's inbox on the dashboard.
    path("dasbor/pertanyaan/", views.inbox, name="inbox"),
    path("dasbor/pertanyaan/<int:pk>/", views.inbox_detail, name="inbox-detail"),
    path("dasbor/pertanyaan/<int:pk>/status/", views.inbox_action, name="inbox-action"),
]
