from tests.reports.conftest import people, published_plan  # noqa: F401  (shared fixtures)
