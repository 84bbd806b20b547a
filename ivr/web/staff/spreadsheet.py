"""CSV downloads for staff: they open in Dutch Excel (BOM, ``;``) and every cell is made safe
to open in a spreadsheet (``ivr.core.worklist.spreadsheet_safe``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response

from ivr.core.worklist import spreadsheet_safe


def csv_download(
    filename: str, columns: Sequence[str], rows: Iterable[Sequence[object]]
) -> Response:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([spreadsheet_safe(_cell(value)) for value in row])
    return Response(
        out.getvalue(),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _cell(value: object) -> str:
    """Numbers as Dutch Excel reads them (a decimal comma)."""
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)
