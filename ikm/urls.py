from django.urls import path

from ikm import views

app_name = "ikm"

urlpatterns = [
    path("ikm/", views.ikm_list, name="ikm-list"),
]
