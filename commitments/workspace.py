"""A promise being set up by its coordinators: what it still lacks, and its publication.

The staff pages of the workspace (commitments/views/workspace.py) write the promise and its
parts through ordinary forms; this module holds the rules that are not a single field's:
the checklist that must be empty before a promise is published, the publication itself, and
the check of a district's GeoJSON boundary.
"""

import json
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .permissions import is_coordinator_of


@dataclass(frozen=True)
class Missing:
    """One thing the promise lacks before it may be published, and where to fix it."""

    text: str
    anchor: str  # the section of the workspace page that fixes it


def checklist(promise):
    """What the promise still lacks, in the order of the workspace page: [] when complete."""
    missing = []
    texts = {
        "problem_picture": _("Describe the situation today."),
        "goal": _("Say what you will achieve together."),
        "follow_up_plan": _("Say how the work is followed up."),
    }
    missing += [
        Missing(text, "promise")
        for name, text in texts.items()
        if not getattr(promise, name).strip()
    ]
    organisations = {s.organisation_id for s in promise.signatories.all()}
    for organisation in (promise.municipality, promise.police_area):
        if organisation.pk not in organisations:
            missing.append(
                Missing(
                    _("Name who signs for %(name)s.") % {"name": organisation.name}, "signatories"
                )
            )
    if not promise.districts.exists():
        missing.append(Missing(_("Name at least one district."), "districts"))
    commitments = list(
        promise.commitments.prefetch_related(
            "activity_types__measures", "responsible_organisations"
        )
    )
    if not commitments:
        missing.append(Missing(_("Write at least one commitment."), "commitments"))
    for commitment in commitments:
        if not commitment.responsible_organisations.all():
            missing.append(
                Missing(
                    _("Commitment %(number)s: say who is responsible.")
                    % {"number": commitment.number},
                    "commitments",
                )
            )
        if not commitment.activity_types.all():
            missing.append(
                Missing(
                    _("Commitment %(number)s: add the kinds of work that are logged under it.")
                    % {"number": commitment.number},
                    "commitments",
                )
            )
    for indicator in promise.indicators.shown():
        if indicator.target_kind == indicator.Target.NONE:
            continue
        has_target = indicator.target_value is not None or indicator.year_targets
        if indicator.target_kind != indicator.Target.MILESTONE and not has_target:
            missing.append(
                Missing(
                    _("Indicator “%(name)s”: give its target, or say it has none.")
                    % {"name": indicator.name},
                    "indicators",
                )
            )
    return missing


@transaction.atomic
def publish(promise, *, by):
    """Make the promise public: only by its coordinators, only when the checklist is empty."""
    promise.refresh_from_db()
    if not is_coordinator_of(by, promise):
        raise PermissionDenied
    if promise.is_published:
        raise ValidationError(_("The promise is already published."), code="published")
    missing = checklist(promise)
    if missing:
        raise ValidationError([m.text for m in missing], code="incomplete")
    promise.is_published = True
    promise.published_at = timezone.now()
    promise.save(update_fields=["is_published", "published_at"])
    promise.touch()


# GeoJSON (RFC 7946): what a district's boundary may be.
_AREAS = {"Polygon", "MultiPolygon"}
BAD_GEOJSON = gettext_lazy(
    "The file is not a GeoJSON boundary. Export the area as GeoJSON (a Polygon or "
    "MultiPolygon, in WGS 84 longitude and latitude) and try again."
)


def boundary_from_geojson(raw):
    """The geometry of a district's boundary from an uploaded GeoJSON text, or ValidationError.

    Accepts a Polygon or MultiPolygon geometry, or a Feature or FeatureCollection holding
    exactly one; each ring closed, with at least four positions in longitude and latitude.
    """
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValidationError(BAD_GEOJSON, code="not_json") from error
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features") or []
        if len(features) != 1:
            raise ValidationError(
                _("The file holds %(count)s areas; a district has one boundary.")
                % {"count": len(features)},
                code="not_one",
            )
        data = features[0]
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or data.get("type") not in _AREAS:
        raise ValidationError(BAD_GEOJSON, code="not_area")
    polygons = data.get("coordinates")
    if data["type"] == "Polygon":
        polygons = [polygons]
    if not isinstance(polygons, list) or not polygons:
        raise ValidationError(BAD_GEOJSON, code="no_coordinates")
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise ValidationError(BAD_GEOJSON, code="no_coordinates")
        for ring in polygon:
            _check_ring(ring)
    return {"type": data["type"], "coordinates": data["coordinates"]}


def _check_ring(ring):
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValidationError(
            _("An area's boundary needs at least four points, the last the same as the first."),
            code="short_ring",
        )
    for position in ring:
        if not (
            isinstance(position, list)
            and len(position) >= 2
            and all(isinstance(v, int | float) for v in position[:2])
            and -180 <= position[0] <= 180
            and -90 <= position[1] <= 90
        ):
            raise ValidationError(
                _("The boundary's points must be longitude and latitude (WGS 84)."),
                code="not_wgs84",
            )
    if ring[0][:2] != ring[-1][:2]:
        raise ValidationError(_("An area's boundary must end where it starts."), code="open_ring")
