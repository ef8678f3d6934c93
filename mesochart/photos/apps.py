from django.apps import AppConfig


class PhotosConfig(AppConfig):
    name = "mesochart.photos"
    label = "photos"
    verbose_name = "Clinical photos"
