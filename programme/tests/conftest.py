from core.testing import world  # noqa: F401
