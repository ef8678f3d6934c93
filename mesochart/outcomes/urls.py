from django.urls import path

from mesochart.outcomes import views, views_items, views_tablet

app_name = "outcomes"
urlpatterns = [
    path("plan/<int:plan_pk>/", views.plan_values, name="plan"),
    path("plan/<int:plan_pk>/progress/", views.plan_progress, name="progress"),
    path("value/<int:pk>/amend/", views.amend, name="amend"),
    path("plan/<int:plan_pk>/tablet/", views_tablet.tablet_start, name="tablet_start"),
    path("items/", views_items.item_list, name="items"),
    path("items/<slug:slug>/", views_items.item_edit, name="item_edit"),
    path("items/<slug:slug>/retire/", views_items.item_retire, name="item_retire"),
]
