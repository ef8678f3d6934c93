from django.urls import path

from mesochart.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("plan/<int:plan_pk>/", views.plan_values, name="plan"),
    path("plan/<int:plan_pk>/progress/", views.plan_progress, name="progress"),
    path("value/<int:pk>/amend/", views.amend, name="amend"),
]
