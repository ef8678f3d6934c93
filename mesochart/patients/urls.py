from django.urls import path, re_path

from mesochart.patients import views

app_name = "patients"
urlpatterns = [
    path("", views.patient_list, name="list"),
    path("new/", views.patient_create, name="create"),
    path("<int:pk>/", views.patient_detail, name="detail"),
    path("<int:pk>/edit/", views.patient_edit, name="edit"),
    path("<int:pk>/void/", views.patient_void, name="void"),
    re_path(
        r"^(?P<pk>\d+)/(?P<kind>allergy|medication|condition)/$",
        views.history_add,
        name="history_add",
    ),
    re_path(
        r"^(?P<pk>\d+)/(?P<kind>allergy|medication|condition)/(?P<item_pk>\d+)/void/$",
        views.history_void,
        name="history_void",
    ),
]
