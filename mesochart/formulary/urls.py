from django.urls import path

from mesochart.formulary.views import catalogue, cocktails, holds, stock

app_name = "formulary"
urlpatterns = [
    path("", catalogue.product_list, name="list"),
    path("products/new/", catalogue.product_create, name="product_create"),
    path("products/<slug:slug>/", catalogue.product_detail, name="product"),
    path("products/<slug:slug>/edit/", catalogue.product_edit, name="product_edit"),
    path("products/<slug:slug>/limits/", catalogue.clinic_limit, name="clinic_limit"),
    path(
        "products/<slug:slug>/limits/<int:pk>/remove/",
        catalogue.clinic_limit_remove,
        name="clinic_limit_remove",
    ),
    path("lots/", stock.lot_list, name="lots"),
    path("lots/receive/", stock.lot_receive, name="lot_receive"),
    path("lots/<int:pk>/", stock.lot_detail, name="lot"),
    path("lots/<int:pk>/movements/", stock.movement_post, name="movement"),
    path("lots/<int:pk>/hold/<str:kind>/", holds.lot_hold, name="lot_hold"),
    path("lots/<int:pk>/release/", holds.lot_release, name="lot_release"),
    path("cocktails/", cocktails.cocktail_list, name="cocktails"),
    path("cocktails/new/", cocktails.cocktail_create, name="cocktail_create"),
    path("cocktails/preview/", cocktails.cocktail_preview, name="cocktail_preview"),
    path("cocktails/<slug:slug>/", cocktails.cocktail_detail, name="cocktail"),
    path("cocktails/<slug:slug>/edit/", cocktails.cocktail_edit, name="cocktail_edit"),
    path(
        "cocktails/<slug:slug>/versions/<int:number>/",
        cocktails.cocktail_version,
        name="cocktail_version",
    ),
]
