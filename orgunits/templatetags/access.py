"""``{% can "reports.download_report" report as may_download %}``: the rule a view
asks, asked by the template that shows the link, so the two never disagree."""

from django import template

from orgunits import access

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, action: str, obj=None) -> bool:
    user = context.get("user") or getattr(context.get("request"), "user", None)
    if isinstance(obj, str):  # a variable the template could not resolve: no object
        obj = None
    return user is not None and access.can(user, action, obj)
