"""Load the offline demo: the register and one user per role. Safe to run again."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kommunedialog.accounts import services as account_services
from kommunedialog.accounts.models import Role, User
from kommunedialog.core.actors import SYSTEM
from kommunedialog.demo.grants import load_demo_grants
from kommunedialog.demo.learning import load_demo_learning
from kommunedialog.demo.national import load_demo_national
from kommunedialog.demo.oversight import load_demo_oversight
from kommunedialog.demo.profiles import load_demo_profiles
from kommunedialog.demo.statistics import load_demo_statistics
from kommunedialog.registry.models import Municipality, Office

# Demo only: load_demo refuses to run in production, so these never guard real data.
DEMO_PASSWORD = "kommunedialog-demo"  # noqa: S105

DEMO_USERS: list[dict[str, Any]] = [
    {"username": "admin", "name": "Ada Administrator", "role": Role.ADMIN},
    {"username": "departement", "name": "Dina Departement", "role": Role.MINISTRY},
    {"username": "rogaland-koordinator", "name": "Kari Koordinator", "role": Role.COORDINATOR, "office": "rogaland"},
    {"username": "rogaland-saksbehandler", "name": "Sindre Saksbehandler", "role": Role.STAFF, "office": "rogaland"},
    {"username": "vestland-saksbehandler", "name": "Vilde Vestland", "role": Role.STAFF, "office": "vestland"},
    {
        "username": "hjelmeland-kommune",
        "name": "Hanne Hjelmeland",
        "role": Role.MUNICIPALITY_USER,
        "municipality": "1133",
    },
    {"username": "suldal-kommune", "name": "Sverre Suldal", "role": Role.MUNICIPALITY_USER, "municipality": "1134"},
    # Sauda's kommunebilde is on consultation in the demo: someone must be able to answer it.
    {"username": "sauda-kommune", "name": "Siri Sauda", "role": Role.MUNICIPALITY_USER, "municipality": "1135"},
]


class Command(BaseCommand):
    help = "Load the demo: register (from SHARED_DATA_DIR when present, else live KLASS) and demo users."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("load_demo creates accounts with a published password and never runs in production")
        if (settings.SHARED_DATA_DIR / "klass").is_dir():
            call_command("import_registry", source=settings.SHARED_DATA_DIR, stdout=self.stdout)
        else:
            self.stdout.write(f"{settings.SHARED_DATA_DIR} not found: reading the register from the live KLASS API")
            call_command("import_registry", live=True, stdout=self.stdout)
        load_demo_statistics(shared_data=settings.SHARED_DATA_DIR, stdout=self.stdout)
        # Oversight records before the kommunebilder, so the published pictures carry them as evidence.
        load_demo_oversight(stdout=self.stdout)
        with transaction.atomic():
            rows = [self._ensure_user(spec) for spec in DEMO_USERS]
            cycle = load_demo_profiles(
                coordinator=User.objects.get(username="rogaland-koordinator"),
                staff=User.objects.get(username="rogaland-saksbehandler"),
            )
            load_demo_national(
                staff=User.objects.get(username="rogaland-saksbehandler"),
                municipality_user=User.objects.get(username="hjelmeland-kommune"),
            )
        self.stdout.write(
            f"Demo kommunebilder: {cycle.name} ({cycle.profiles.filter(state='published').count()} published)"
        )
        grants_call = load_demo_grants(
            coordinator=User.objects.get(username="rogaland-koordinator"),
            staff=User.objects.get(username="rogaland-saksbehandler"),
            applicants={
                "1133": User.objects.get(username="hjelmeland-kommune"),
                "1134": User.objects.get(username="suldal-kommune"),
            },
        )
        self.stdout.write(
            f"Demo Prosjektskjønn: {grants_call.title_nb} ({grants_call.applications.count()} applications)"
        )
        load_demo_learning(
            staff=User.objects.get(username="rogaland-saksbehandler"),
            municipality_user=User.objects.get(username="hjelmeland-kommune"),
            stdout=self.stdout,
        )
        self.stdout.write("\nDemo users (demonstration only):")
        width = max(len(r[0]) for r in rows)
        for username, role, scope in rows:
            self.stdout.write(
                f"  {username.ljust(width)}  password: {DEMO_PASSWORD}  {role}{f' – {scope}' if scope else ''}"
            )

    def _ensure_user(self, spec: dict[str, Any]) -> tuple[str, str, str]:
        user = User.objects.filter(username=spec["username"]).first()
        if user is None:
            user = account_services.user_create_local(
                actor=SYSTEM, username=spec["username"], password=DEMO_PASSWORD, full_name=spec["name"]
            )
        elif not user.check_password(DEMO_PASSWORD):
            account_services.user_set_password(actor=SYSTEM, user=user, password=DEMO_PASSWORD)
        office = Office.objects.get(code=spec["office"]) if "office" in spec else None
        municipality = (
            Municipality.objects.current().get(number=spec["municipality"]) if "municipality" in spec else None
        )
        account_services.role_grant(
            actor=SYSTEM, user=user, role=spec["role"], office=office, municipality=municipality
        )
        scope = office or municipality
        return spec["username"], str(spec["role"].label), str(scope) if scope else ""
