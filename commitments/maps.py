"""The districts as an SVG map, drawn on the server from their stored GeoJSON boundaries.

No map tiles and no request to anyone else: the boundaries are projected here into an SVG
drawing (templates/includes/district_map.html), each district a link with its name, so the map
works under the Content-Security-Policy and without JavaScript. The list of districts beside
it is the text alternative.

The projection is equirectangular around the districts' middle latitude (longitude scaled by
its cosine): for the few kilometres of a municipality's districts it keeps shapes and
distances true to the eye, which is all the drawing is for.
"""

import math
from dataclasses import dataclass
from itertools import pairwise

WIDTH = 640  # the drawing's width in SVG units; its height follows the districts' shape
PADDING = 12


@dataclass(frozen=True)
class Shape:
    district: object
    path: str  # SVG path data, every ring of every polygon
    label_x: float
    label_y: float


@dataclass(frozen=True)
class DistrictMap:
    width: int
    height: int
    shapes: list
    current: object = None  # the district whose page this is: drawn highlighted

    @property
    def view_box(self):
        return f"0 0 {self.width} {self.height}"


def _polygons(boundary):
    """The boundary's polygons, each a list of rings of (longitude, latitude)."""
    if not isinstance(boundary, dict):
        return []
    coordinates = boundary.get("coordinates") or []
    if boundary.get("type") == "Polygon":
        coordinates = [coordinates]
    elif boundary.get("type") != "MultiPolygon":
        return []
    return [[[(p[0], p[1]) for p in ring] for ring in polygon] for polygon in coordinates]


def _area(ring):
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(ring)))


def district_map(districts, *, current=None):
    """The map of the districts that have a boundary, or None when none has one."""
    drawn = [(d, _polygons(d.boundary)) for d in districts]
    drawn = [(d, polygons) for d, polygons in drawn if polygons]
    if not drawn:
        return None
    points = [p for _d, polygons in drawn for polygon in polygons for ring in polygon for p in ring]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    squeeze = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * squeeze, 1e-9)
    span_y = max(north - south, 1e-9)
    scale = (WIDTH - 2 * PADDING) / span_x
    height = round(span_y * scale + 2 * PADDING)

    def project(point):
        return (
            PADDING + (point[0] - west) * squeeze * scale,
            PADDING + (north - point[1]) * scale,
        )

    shapes = []
    for district, polygons in drawn:
        projected = [[[project(p) for p in ring] for ring in polygon] for polygon in polygons]
        path = " ".join(
            "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in ring) + " Z"
            for polygon in projected
            for ring in polygon
        )
        # The label in the middle of the largest outer ring (its vertices' mean: good enough
        # for the compact shapes of districts).
        outer = max((polygon[0] for polygon in projected), key=_area)
        corners = outer[:-1] or outer
        shapes.append(
            Shape(
                district=district,
                path=path,
                label_x=round(sum(x for x, _y in corners) / len(corners), 1),
                label_y=round(sum(y for _x, y in corners) / len(corners), 1),
            )
        )
    return DistrictMap(width=WIDTH, height=height, shapes=shapes, current=current)
