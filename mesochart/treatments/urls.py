from django.urls import path

from mesochart.treatments import views, views_corrections, views_events, views_print

app_name = "treatments"
urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/save/", views.save, name="save"),
    path("<int:pk>/sign/", views.sign, name="sign"),
    path("<int:pk>/amend/", views.amend, name="amend"),
    path("<int:pk>/correct-lot/", views_corrections.correct, name="correct_lot"),
    path("<int:pk>/void/", views.void, name="void"),
    path("<int:pk>/record.pdf", views_print.session_record, name="record_pdf"),
    path("<int:pk>/aftercare.pdf", views_print.aftercare, name="aftercare_pdf"),
    path("plan/<int:plan_pk>/start/", views.start, name="start"),
    path("patient/<int:patient_pk>/timeline/", views.patient_timeline, name="timeline"),
    path("recall/", views.recall_page, name="recall"),
    path("patient/<int:patient_pk>/adverse-events/new/", views_events.create, name="event_create"),
    path("adverse-events/<int:pk>/", views_events.detail, name="event_detail"),
    path("adverse-events/<int:pk>/follow-up/", views_events.follow_up, name="event_follow_up"),
    path("adverse-events/<int:pk>/suspects/", views_events.amend_suspects, name="event_suspects"),
    path("adverse-events/<int:pk>/report.csv", views_events.report_csv, name="event_csv"),
    path("adverse-events/<int:pk>/report.pdf", views_events.report_pdf, name="event_pdf"),
]
