import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Make sure a local editor account exists (a superuser, for a laptop). On "
        "first creation a random password is printed once; it is stored nowhere else."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")
        parser.add_argument("--dry-run", action="store_true", help="Say what would happen; write nothing.")

    def handle(self, *args, username, dry_run, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"Editor account “{username}” already exists. Forgot the password? "
                f"Run: .venv/bin/python manage.py changepassword {username}"
            )
            return
        if dry_run:
            self.stdout.write(f"Would create the editor account “{username}”.")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_user(
            username=username,
            password=password,
            is_staff=True,
            is_superuser=True,
            first_name="Demo",
            last_name="Editor",
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"\nCreated the editor account for the admin at /admin/\n"
                f"  username: {username}\n  password: {password}\n"
                f"This password is shown only once.\n"
            )
        )
