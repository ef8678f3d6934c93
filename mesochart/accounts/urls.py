from django.urls import path

from mesochart.accounts import views, views_tokens

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("sign-out/", views.sign_out, name="logout"),
    path("clinic/", views.switch_clinic, name="switch_clinic"),
    path("language/", views.set_language, name="language"),
    path("staff/", views.staff_list, name="staff"),
    path("staff/<int:user_id>/", views.staff_edit, name="staff_edit"),
    path("tokens/", views_tokens.api_tokens, name="api_tokens"),
    path("tokens/clinic/", views_tokens.clinic_tokens, name="clinic_tokens"),
    path("password/", views.password_change, name="password"),
]
