from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    """Bulletins (通报): monthly and quarterly Word and Excel reports built from analytics' metrics."""

    name = "bulletins"
    verbose_name = "通报 Bulletins"
