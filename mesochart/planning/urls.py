from django.urls import path

from mesochart.planning import views, views_aftercare, views_setup

app_name = "planning"
urlpatterns = [
    path("patient/<int:patient_pk>/new/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/check/", views.plan_check, name="check"),
    path("<int:pk>/approve/", views.plan_approve, name="approve"),
    path("<int:pk>/print/", views.plan_print, name="print"),
    path("<int:pk>/plan.pdf", views.plan_document, name="plan_pdf"),
    path("<int:pk>/series/", views.series_propose, name="series"),
    path("<int:pk>/series/move/", views.series_move, name="series_move"),
    path("<int:pk>/series.ics", views.series_ics, name="series_ics"),
    path("protocols/", views_setup.protocol_list, name="protocols"),
    path("protocols/new/", views_setup.protocol_edit, name="protocol_create"),
    path("protocols/<int:pk>/", views_setup.protocol_edit, name="protocol_edit"),
    path("calendar/", views_setup.calendar_edit, name="calendar"),
    path("protocols/<int:pk>/aftercare/", views_aftercare.aftercare_edit, name="aftercare_edit"),
]
