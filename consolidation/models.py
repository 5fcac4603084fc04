"""Consolidated documents built in the background (see the build helper)."""
