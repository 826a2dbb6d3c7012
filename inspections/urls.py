from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    # Everyone: Sandwell's inspections and visits, and its neighbours' latest judgements.
    path("", views.history, name="history"),
    # Administrators: Ofsted's management information imported as published.
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/", views.inspections_import, name="import"),
    path("import/<slug:token>/", views.inspections_import_preview, name="import_preview"),
    path("problems/<slug:token>.xlsx", views.inspections_import_problems, name="import_problems"),
]
