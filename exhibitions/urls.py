from django.urls import path

from exhibitions import views

app_name = "exhibitions"

urlpatterns = [
    path("acara/", views.event_list, name="event-list"),
]
