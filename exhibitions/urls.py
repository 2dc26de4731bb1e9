from django.urls import path

from exhibitions import views

app_name = "exhibitions"

urlpatterns = [
    path("acara/", views.event_list, name="event-list"),
    # Before the slug patterns: "kalender" is also a reserved event slug.
    path("acara/kalender.ics", views.calendar_feed, name="calendar-feed"),
    path("acara/<slug:slug>.ics", views.event_ics, name="event-ics"),
    path("acara/<slug:slug>/", views.event_detail, name="event-detail"),
    path("acara/<slug:slug>/daftar/", views.event_apply, name="event-apply"),
    path("acara/<slug:slug>/daftar/tarik/", views.application_withdraw, name="application-withdraw"),
]
