from django.apps import AppConfig


class BenchConfig(AppConfig):
    """
    What `make bench` needs and a real site never has: `seed_scale` (an
    archive of magazine size) and /bench/constant (a constant through every
    middleware, the yardstick pages are measured against). Installed only by
    bench/settings.py and the test settings.
    """

    name = "bench"
    verbose_name = "Benchmarks"
