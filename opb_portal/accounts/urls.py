"""Two-factor sign-in: `/accounts/two-factor/...`, beside Django's sign-in pages."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="two_factor"),
    path("set-up/", views.enrol, name="two_factor_enrol"),
    path("code/", views.verify, name="two_factor_verify"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("turn-off/", views.disable, name="two_factor_disable"),
]
