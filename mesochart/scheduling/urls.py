from django.urls import path

from mesochart.scheduling import views, views_link

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
    path("<int:pk>/", views.appointment_view, name="appointment"),
    path("<int:pk>/move/", views.move_view, name="move"),
    path("<int:pk>/cancel/", views.cancel_view, name="cancel"),
]
