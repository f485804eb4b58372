"""The columns of an activity file, how its header row maps onto them, and the template.

The fixed columns have Swedish and English headers and other names (those of the staff list's
export among them); one column follows per measure name. The template is what a promise's
staff download to fill in.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from .cells import Lookups, cell_text, normalise_header, suggestion

# The fixed columns: key, Swedish header, English header. Measure columns follow, one per
# measure name, headed by the name. Headers are file format, not interface text: a Swedish
# file keeps its Swedish headers whatever language the page is in.
COLUMNS = [
    ("id", "Id", "Id"),
    ("date", "Datum", "Date"),
    ("commitment", "Åtagande", "Commitment"),
    ("activity_type", "Aktivitetstyp", "Activity type"),
    ("district", "Område", "District"),
    ("hours", "Timmar", "Hours"),
    ("staff_count", "Antal personal", "Number of staff"),
    ("summary", "Sammanfattning", "Summary"),
    ("internal_note", "Intern anteckning", "Internal note"),
    ("is_public", "Publik", "Public"),
]
REQUIRED_COLUMNS = ["date", "commitment", "activity_type", "district"]
# Other names for the columns, among them those of the staff list's export (../exports.py), so
# that an export re-imports. Promise and organisation are checked against the import's;
# "entered by" is for the reader and not imported.
HEADER_ALIASES = {
    "externt id": "id",
    "external id": "id",
    "offentlig sammanfattning": "summary",
    "publik sammanfattning": "summary",
    "public summary": "summary",
    "offentlig": "is_public",
    "medborgarlöfte": "promise",
    "löfte": "promise",
    "promise": "promise",
    "organisation": "organisation",
    "organization": "organisation",
    "registrerad av": "entered_by",
    "entered by": "entered_by",
}
MEASURE_KEY = "measure:{}"
ROW_KEY = "_row"


def _fixed_headers():
    headers = {}
    for key, swedish, english in COLUMNS:
        headers[normalise_header(swedish)] = key
        headers[normalise_header(english)] = key
    headers.update(HEADER_ALIASES)
    return headers


def map_headers(header_cells, lookups, report):
    """Each column's key (or None for an empty one), and the measure columns found."""
    fixed = _fixed_headers()
    known = {normalise_header(sv): sv for _key, sv, _en in COLUMNS}
    known.update({normalise_header(name): name for name in lookups.measure_names})
    keys, measure_columns, seen = [], [], {}
    for index, cell in enumerate(header_cells):
        text = cell_text(cell)
        header = normalise_header(text)
        if not header:
            keys.append(None)
            continue
        if header in fixed:
            key = fixed[header]
        elif header in lookups.measures_by_name:
            measures = lookups.measures_by_name[header]
            # "Beslag" and "Beslag (st)" are one column written twice.
            key = next(
                (k for k, known_measures in measure_columns if known_measures is measures),
                MEASURE_KEY.format(len(measure_columns)),
            )
            if key not in seen:
                measure_columns.append((key, measures))
        else:
            near = suggestion(text, known)
            message = (
                _("Unknown column “%(column)s”. Did you mean “%(suggestion)s”?")
                % {"column": text, "suggestion": near}
                if near
                else _(
                    "Unknown column “%(column)s”. The columns are %(columns)s, and one per "
                    "measure: %(measures)s."
                )
                % {
                    "column": text,
                    "columns": ", ".join(sv for _key, sv, _en in COLUMNS),
                    "measures": ", ".join(lookups.measure_names) or "-",
                }
            )
            report.refuse(message, row=1, column=text, code="unknown_column")
            keys.append(None)
            continue
        if key in seen:
            report.refuse(
                _("The column “%(column)s” appears twice.") % {"column": text},
                row=1,
                column=text,
                code="duplicate_column",
            )
        seen[key] = (index, text)
        keys.append(key)
    for key in REQUIRED_COLUMNS:
        if key not in seen:
            swedish = next(sv for k, sv, _en in COLUMNS if k == key)
            report.refuse(
                _("The column “%(column)s” is missing.") % {"column": swedish},
                row=1,
                column=swedish,
                code="missing_column",
            )
    report.headers = [cell_text(cell) for cell in header_cells]
    return keys, measure_columns, {key: text for key, (_i, text) in seen.items()}


def template_table(promise):
    """The import's columns for a promise and two example rows, as typed values."""
    lookups = Lookups(promise)
    types = sorted(
        lookups.types_by_pk.values(), key=lambda t: (t.commitment.number, t.order, t.name)
    )
    districts = sorted(lookups.districts_by_pk.values(), key=lambda d: (d.order, d.name))
    header = [swedish for _key, swedish, _english in COLUMNS] + lookups.measure_names
    rows = []
    if not types or not districts:
        return header, rows
    counted = next((t for t in types if t.measure_list), types[0])
    other = next((t for t in types if t is not counted), counted)
    for number, (activity_type, district, hours) in enumerate(
        [(counted, districts[0], Decimal("2.5")), (other, districts[-1], Decimal(3))], start=1
    ):
        day = min(promise.start_date + timedelta(days=13 * number), promise.end_date)
        measures = {m.name for m in activity_type.measure_list}
        rows.append(
            [
                f"exempel-{number}",
                day,
                activity_type.commitment.number,
                activity_type.name,
                district.name,
                hours,
                2,
                _("Example: %(type)s in %(district)s. Replace this row with your own.")
                % {"type": activity_type.name, "district": district.name},
                "",
                "ja" if number == 1 else "nej",
                *[10 * number if name in measures else None for name in lookups.measure_names],
            ]
        )
    return header, rows
