from .models import ApiToken


class ApiTokenMiddleware:
    """Authenticate `Authorization: Token <key>` requests to the API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if header.startswith("Token ") and request.path.startswith("/api/"):
            token = (
                ApiToken.objects.select_related("user__organisation")
                .filter(key=header.removeprefix("Token ").strip(), user__is_active=True)
                .first()
            )
            if token:
                request.user = token.user
                # Token requests are not from a browser form: no CSRF cookie to check.
                request._dont_enforce_csrf_checks = True
        return self.get_response(request)
