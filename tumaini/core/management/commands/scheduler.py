import signal
import time

from django.core.management.base import BaseCommand

from tumaini.core.schedule import JOBS, enqueue_due_jobs


class Command(BaseCommand):
    help = "Enqueue periodic jobs when they are due (runs beside db_worker)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=30, help="Seconds between checks")
        parser.add_argument("--once", action="store_true", help="Check once, then exit")

    def handle(self, *args, interval, once, **options):
        self._running = True
        if not once:
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
            self.stdout.write(
                f"Scheduler: {len(JOBS)} periodic jobs, checking every {interval:g} s"
            )
        while self._running:
            for name in enqueue_due_jobs():
                self.stdout.write(f"enqueued {name}")
            if once:
                break
            # Sleep in short steps so a stop request is honoured quickly.
            waited = 0.0
            while self._running and waited < interval:
                time.sleep(min(0.5, interval - waited))
                waited += 0.5

    def _stop(self, signum, frame):
        self._running = False
