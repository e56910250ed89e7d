from credit.tests.helpers import media  # noqa: F401
from intake.tests.fakes import keyword_classifier  # noqa: F401
