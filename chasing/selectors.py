"""Reads of the chasing app that are scoped by the user."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404

from campaigns.models import Plan

from .models import BoardExport


def get_export_for_user(user: AbstractBaseUser, plan: Plan, export_id: int) -> BoardExport:
    """The user's own export of ``plan``'s board (the caller has checked that
    the user sees the board): nobody else's, 404 otherwise."""
    job = BoardExport.objects.filter(pk=export_id, plan=plan, requested_by=user).first()
    if job is None:
        raise Http404("No such export of yours.")
    job.plan = plan
    return job
