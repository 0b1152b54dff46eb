"""The dashboard as a CSV file: the same rows and numbers as the page.

Written for spreadsheet programs as people have them: UTF-8 with a byte-order mark (without it Excel
reads å, ä and ö as two odd characters each), and the list separator and decimal mark of the page's
language (Swedish Excel splits columns at ";" and writes 2,5; English Excel uses "," and 2.5).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils import formats
from django.utils.translation import get_language, gettext

from badges.models import Achievement
from console.dashboard_tables import Group
from console.periods import Period
from issuers.models import Issuer
from kernel.spreadsheets import spreadsheet_text
from learners.filenames import attachment_header

BYTE_ORDER_MARK = "\ufeff"


def _number(value: int | Decimal | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return formats.number_format(value, decimal_pos=1, use_l10n=True)
    return str(value)


def dashboard_filename(issuer: Issuer, period: Period) -> str:
    return f"{issuer.slug}-dashboard-{period.first_day:%Y-%m-%d}-{period.last_day:%Y-%m-%d}.csv"


def dashboard_csv_response(
    *, issuer: Issuer, achievement: Achievement | None, period: Period, groups: list[Group]
) -> HttpResponse:
    delimiter = ";" if (get_language() or "").startswith("sv") else ","
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    # Names and labels are text people typed: never let a spreadsheet read one as a formula.
    writer.writerow([gettext("Issuer"), spreadsheet_text(issuer.name)])
    scope = achievement.name if achievement else gettext("All micro-credentials")
    writer.writerow([gettext("Micro-credential"), spreadsheet_text(scope)])
    writer.writerow([gettext("From"), period.first_day.isoformat()])
    writer.writerow([gettext("To"), period.last_day.isoformat()])
    writer.writerow([])
    writer.writerow([gettext("Group"), gettext("Figure"), gettext("Value"), gettext("Unit")])
    for group in groups:
        for row in group.rows:
            writer.writerow([
                spreadsheet_text(group.title), spreadsheet_text(row.label), _number(row.value),
                spreadsheet_text(row.unit),
            ])
    response = HttpResponse(BYTE_ORDER_MARK + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment_header(dashboard_filename(issuer, period))
    return response
