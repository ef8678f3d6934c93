from django.urls import path

from mesochart.scheduling import views, views_link, views_setup

app_name = "scheduling"
urlpatterns = [
    path("", views.calendar_view, {"span": "day"}, name="day"),
    path("week/", views.calendar_view, {"span": "week"}, name="week"),
    path("book/", views.book_view, name="book"),
    path("plan/<int:plan_pk>/series/", views.series_view, name="series"),
    path("unconfirmed/", views_link.unconfirmed_view, name="unconfirmed"),
    path("r/<str:token>/", views_link.link_view, name="link"),
    path("feed/", views_link.feed_view, name="feed"),
    path("feed/<str:token>.ics", views_link.feed_ics, name="feed_ics"),
    path("setup/", views_setup.setup_view, name="setup"),
    path("setup/rooms/", views_setup.room_add, name="setup_room_add"),
    path("setup/rooms/<int:pk>/", views_setup.room_edit, name="setup_room"),
    path("setup/rooms/<int:pk>/retire/", views_setup.room_retire, name="setup_room_retire"),
    path("setup/types/", views_setup.type_add, name="setup_type_add"),
    path("setup/types/<int:pk>/", views_setup.type_edit, name="setup_type"),
    path("setup/types/<int:pk>/retire/", views_setup.type_retire, name="setup_type_retire"),
    path("setup/options/", views_setup.options_edit, name="setup_options"),
    path("setup/people/<int:user_pk>/", views_setup.person_view, name="setup_person"),
    path("setup/people/<int:user_pk>/<str:kind>/", views_setup.person_add, name="setup_add"),
    path(
        "setup/people/<int:user_pk>/<str:kind>/<int:pk>/remove/",
        views_setup.person_remove,
        name="setup_remove",
    ),
    path("<int:pk>/", views.appointment_view, name="appointment"),
    path("<int:pk>/move/", views.move_view, name="move"),
    path("<int:pk>/cancel/", views.cancel_view, name="cancel"),
]
