from typing import Any

from django import template

from console.nav import MenuItem, console_menu
from console.todos import member_todos, todos_by_section
from issuers.models import IssuerMember

register = template.Library()


@register.simple_tag(takes_context=True)
def console_menu_items(context: dict[str, Any], member: IssuerMember | None, section: str = "") -> list[MenuItem]:
    if member is None or not isinstance(member, IssuerMember):
        return []
    # The overview has counted already; other pages count here.
    todos = context.get("todos")
    if todos is None:
        todos = member_todos(member)
    return console_menu(member=member, section=section or "", waiting=todos_by_section(todos))
