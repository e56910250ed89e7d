from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo district (seed_demo, demo_logins): made through the domain apps' public services only; no
    domain app imports it."""

    name = "demo"
    verbose_name = "演示数据 Demo"
