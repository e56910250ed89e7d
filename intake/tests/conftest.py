from intake.tests.fakes import keyword_classifier  # noqa: F401
