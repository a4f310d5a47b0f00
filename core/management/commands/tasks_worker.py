import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from core.background import requeue_abandoned


class Command(DbWorkerCommand):
    help = (
        "Run the background tasks (django-tasks-db's db_worker, same options), and once a minute "
        "queue again the tasks a dead worker left running (older than TASKS_LEASE_SECONDS)."
    )

    def handle(self, *args, **options):
        every = min(60, max(1, settings.TASKS_LEASE_SECONDS // 4))
        stop = threading.Event()

        def sweep():
            while True:
                try:
                    requeue_abandoned()
                except Exception:  # a locked or unreachable database: try again next round
                    self.stderr.write("Could not look for abandoned tasks; trying again.")
                finally:
                    close_old_connections()
                    connection.close()
                if stop.wait(every):
                    return

        sweeper = threading.Thread(target=sweep, name="requeue-abandoned", daemon=True)
        sweeper.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
