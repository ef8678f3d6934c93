from django.urls import path

from mesochart.photos import views

app_name = "photos"
urlpatterns = [
    path("patient/<int:patient_pk>/", views.gallery, name="gallery"),
    path("patient/<int:patient_pk>/capture/", views.capture, name="capture"),
    path("patient/<int:patient_pk>/compare/", views.compare, name="compare"),
    path("patient/<int:patient_pk>/consent/", views.consent, name="consent"),
    path("<int:pk>/image.jpg", views.image, name="image"),
    path("<int:pk>/thumbnail.jpg", views.thumbnail, name="thumbnail"),
    path("<int:pk>/<str:purpose>.jpg", views.export, name="export"),
    path("purpose/<str:purpose>/", views.purpose_gallery, name="purpose_gallery"),
]
