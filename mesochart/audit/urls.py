from django.urls import path

from mesochart.audit import views

app_name = "audit"
urlpatterns = [path("", views.report, name="report")]
