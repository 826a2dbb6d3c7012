"""Demonstration organisations and one person per role."""

from . import roles
from .models import Organisation, Role, User

DEMO_PASSWORD = "opb-demo-password"

ORGANISATIONS = {
    Organisation.Kind.TRUST: "Sandwell Children's Trust",
    Organisation.Kind.COUNCIL: "Sandwell Council",
}

# The people of the machinery's roles; the Trust's submitters are the domains' (each
# registers its role with the person who holds it in the demonstration:
# accounts.roles.DemoPerson). Two board members: the contract has the Trust's Chief
# Executive chair the Operational Partnership Board, and the council's Chief Executive
# chair the Strategic Partnership Board.
BOARD_PEOPLE = [
    # username, first name, last name, organisation, role
    ("reviewer", "Sam", "Hughes", Organisation.Kind.COUNCIL, Role.REVIEWER),
    ("board", "Alex", "Morgan", Organisation.Kind.COUNCIL, Role.BOARD_MEMBER),
    ("trust.ceo", "Pat", "Evans", Organisation.Kind.TRUST, Role.BOARD_MEMBER),
    ("admin", "Jo", "Clarke", Organisation.Kind.COUNCIL, Role.ADMINISTRATOR),
]


def demo_users() -> list[tuple[str, str, str, str, str]]:
    """Everyone `make demo` signs in as: (username, first name, last name, organisation, role)."""
    submitters = [
        (person.username, person.first_name, person.last_name, Organisation.Kind.TRUST, role.value)
        for role in roles.submitter_roles()
        if (person := role.demo_person) is not None
    ]
    return [*submitters, *BOARD_PEOPLE]


def load_organisations() -> dict[str, Organisation]:
    return {
        kind: Organisation.objects.update_or_create(kind=kind, defaults={"name": name})[0]
        for kind, name in ORGANISATIONS.items()
    }


def load_demo_users() -> list[User]:
    organisations = load_organisations()
    users = []
    for username, first, last, kind, role in demo_users():
        is_admin = role == Role.ADMINISTRATOR
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
                "organisation": organisations[kind],
                "role": role,
                "is_staff": is_admin,
                "is_superuser": is_admin,
            },
        )
        # Setting a password makes a new salt; only do it when it differs so
        # that loading the demonstration twice changes nothing.
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        users.append(user)
    return users
