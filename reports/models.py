"""Unit reports written against a plan's outline: see the reports issue."""
