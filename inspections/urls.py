from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    # Everyone: Sandwell's inspections and visits, and its neighbours' latest judgements.
    path("", views.history, name="history"),
    path("<int:pk>/", views.inspection, name="inspection"),
    # Reviewers and administrators: what Ofsted's file does not carry, recorded by hand.
    path("record/", views.inspection_record, name="record"),
    path("<int:pk>/edit/", views.inspection_edit, name="edit"),
    path("<int:pk>/recommendations/new/", views.recommendation_add, name="recommendation_add"),
    path("recommendations/<int:pk>/edit/", views.recommendation_edit, name="recommendation_edit"),
    # Administrators: Ofsted's management information imported as published.
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/", views.inspections_import, name="import"),
    path("import/<slug:token>/", views.inspections_import_preview, name="import_preview"),
    path("problems/<slug:token>/", views.inspections_import_refused, name="import_refused"),
    path("problems/<slug:token>.xlsx", views.inspections_import_problems, name="import_problems"),
]
