from .permissions import Action, can


def permissions(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"may": {action.value: can(user, action) for action in Action}}
