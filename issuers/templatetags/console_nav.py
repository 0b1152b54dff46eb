from django import template

from issuers.console_nav import MenuItem, console_menu
from issuers.models import IssuerMember

register = template.Library()


@register.simple_tag
def console_menu_items(member: IssuerMember | None, section: str = "") -> list[MenuItem]:
    if member is None or not isinstance(member, IssuerMember):
        return []
    return console_menu(member=member, section=section or "")
