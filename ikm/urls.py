from django.urls import path

from ikm import views

app_name = "ikm"

urlpatterns = [
    path("ikm/", views.ikm_list, name="ikm-list"),
    path("ikm/<slug:slug>/", views.ikm_detail, name="ikm-detail"),
    path("dasbor/", views.dashboard, name="dashboard"),
    path("dasbor/profil/buat/", views.profile_create, name="profile-create"),
    path("dasbor/profil/", views.profile_edit, name="profile-edit"),
    path("dasbor/profil/kirim/", views.profile_submit, name="profile-submit"),
]
