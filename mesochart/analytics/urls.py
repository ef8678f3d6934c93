from django.urls import path

from mesochart.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.page, name="page"),
    path("analysis.csv", views.export_csv, name="csv"),
]
