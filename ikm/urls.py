from django.urls import path

from ikm import views

app_name = "ikm"

urlpatterns = [
    path("ikm/", views.ikm_list, name="ikm-list"),
    path("ikm/<slug:slug>/", views.ikm_detail, name="ikm-detail"),
]
