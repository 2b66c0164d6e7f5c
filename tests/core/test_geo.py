"""The geo kit: points and boxes, RD New to WGS 84, areas, coordinate entry, nearby queries.

The nearby query runs on whatever database the run uses: SQLite by default, PostgreSQL when
DATABASE_URL is set (make test runs both).
"""

from __future__ import annotations

import json
import math

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from hypothesis import given, settings
from hypothesis import strategies as st

from burgerlink.core.geo import (
    NETHERLANDS,
    BoundingBox,
    GeoError,
    MapPoint,
    Point,
    System,
    area_of,
    check_point,
    haversine_m,
    parse_area,
    parse_coordinates,
    rd_to_wgs84,
    wgs84_to_rd,
)
from burgerlink.core.geo.forms import CoordinateField, LocationForm
from burgerlink.core.geo.points import EARTH_RADIUS_M
from burgerlink.core.geo.queries import nearby, within
from burgerlink.core.models import Organisation
from burgerlink.envconfig import tile_url
from tests.kitapp.models import Spot

AMERSFOORT = Point(52.155172, 5.387206)  # the origin of RD: x 155000, y 463000


def square(south: float, west: float, north: float, east: float) -> list[list[float]]:
    """A closed GeoJSON ring (longitude, latitude) around a box."""
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


# Amstelstad's area in these tests: a box around Amersfoort with a hole (a lake) in it.
AREA = json.dumps(
    {
        "type": "Polygon",
        "coordinates": [square(52.10, 5.30, 52.22, 5.47), square(52.17, 5.40, 52.19, 5.44)],
    }
)


# --- points, boxes, distance -----------------------------------------------------------


@pytest.mark.parametrize(
    ("lat", "lon"), [(91, 5), (-91, 5), (52, 181), (52, -181), (math.nan, 5), (52, math.inf)]
)
def test_a_point_off_the_globe_is_refused(lat: float, lon: float) -> None:
    with pytest.raises(GeoError):
        Point(lat, lon)


def test_a_box_is_south_to_north_and_west_to_east() -> None:
    with pytest.raises(GeoError):
        BoundingBox(south=53, west=5, north=52, east=6)
    box = BoundingBox(south=52, west=5, north=53, east=6)
    assert box.contains(Point(52, 6)) and not box.contains(Point(51.99, 5.5))
    assert BoundingBox.of([Point(52, 6), Point(51, 5)]) == BoundingBox(51, 5, 52, 6)


def test_one_degree_along_a_meridian_is_the_earths_radius_times_pi_over_180() -> None:
    assert haversine_m(Point(52, 5), Point(53, 5)) == pytest.approx(
        EARTH_RADIUS_M * math.pi / 180, rel=1e-9
    )
    assert haversine_m(AMERSFOORT, AMERSFOORT) == 0


def _destination(start: Point, bearing_deg: float, distance_m: float) -> Point:
    """The point ``distance_m`` from ``start`` in direction ``bearing_deg`` (on the sphere)."""
    angle = distance_m / EARTH_RADIUS_M
    lat1, lon1, bearing = map(math.radians, (start.latitude, start.longitude, bearing_deg))
    lat2 = math.asin(
        math.sin(lat1) * math.cos(angle) + math.cos(lat1) * math.sin(angle) * math.cos(bearing)
    )
    lon2 = lon1 + math.atan2(
        math.sin(bearing) * math.sin(angle) * math.cos(lat1),
        math.cos(angle) - math.sin(lat1) * math.sin(lat2),
    )
    return Point(math.degrees(lat2), math.degrees(lon2))


@settings(max_examples=300, deadline=None)
@given(
    lat=st.floats(50.7, 53.7),
    lon=st.floats(3.2, 7.3),
    radius=st.floats(1, 50_000),
    bearing=st.floats(0, 360),
    share=st.floats(0, 0.999),
)
def test_the_box_around_a_point_holds_every_point_of_the_circle(
    lat: float, lon: float, radius: float, bearing: float, share: float
) -> None:
    centre = Point(lat, lon)
    inside = _destination(centre, bearing, radius * share)
    assert haversine_m(centre, inside) <= radius
    assert BoundingBox.around(centre, radius).contains(inside)


def test_a_nearby_radius_must_be_sensible() -> None:
    for radius in (0, -5, 600_000):
        with pytest.raises(GeoError):
            BoundingBox.around(AMERSFOORT, radius)


# --- RD New ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "y", "lat", "lon"),
    [
        (155_000, 463_000, 52.155172, 5.387206),  # Amersfoort, the origin of RD
        (120_700.723, 487_525.501, 52.374533, 4.883526),  # Westertoren, Amsterdam
        (233_883.131, 582_065.167, 53.219383, 6.568201),  # Martinitoren, Groningen
    ],
)
def test_rd_new_converts_to_wgs84_within_a_few_metres(
    x: float, y: float, lat: float, lon: float
) -> None:
    point = rd_to_wgs84(x, y)
    assert haversine_m(point, Point(lat, lon)) < 2.0
    back_x, back_y = wgs84_to_rd(point)
    assert (back_x, back_y) == (pytest.approx(x, abs=0.01), pytest.approx(y, abs=0.01))


def test_numbers_outside_rd_are_not_converted() -> None:
    with pytest.raises(GeoError):
        rd_to_wgs84(400_000, 463_000)


# --- typed coordinates -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "52.155172, 5.387206",
        "52.155172,5.387206",
        "52.155172 5.387206",
        "52,155172 5,387206",
        "52,155172; 5,387206",
        "(52.155172, 5.387206)",
        "  52.155172 ,  5.387206 ",
    ],
)
def test_latitude_and_longitude_in_the_ways_people_type_them(text: str) -> None:
    entry = parse_coordinates(text)
    assert entry.system == System.WGS84
    assert entry.point == AMERSFOORT


@pytest.mark.parametrize("text", ["155000, 463000", "155000 463000", "155000.0; 463000.0"])
def test_rd_coordinates_are_recognised_by_their_size(text: str) -> None:
    entry = parse_coordinates(text)
    assert entry.system == System.RD
    assert haversine_m(entry.point, AMERSFOORT) < 2.0


@pytest.mark.parametrize(
    "text", ["", "52.1", "52.1, 5.3, 7", "noord, oost", "52.1,5.3,4", "1e3, 5", "155000, 900000"]
)
def test_text_that_is_no_coordinate_pair_is_refused_in_dutch(text: str) -> None:
    with pytest.raises(GeoError) as caught:
        parse_coordinates(text)
    assert str(caught.value)  # a message for the person who typed it


# --- the Netherlands and an organisation's area ------------------------------------------


def test_a_point_must_lie_in_the_netherlands_and_swapped_degrees_are_pointed_out() -> None:
    assert check_point(AMERSFOORT) == AMERSFOORT
    assert NETHERLANDS.contains(Point(50.7504, 5.9873))  # Vaals, the south
    assert NETHERLANDS.contains(Point(53.4667, 6.1833))  # Schiermonnikoog
    with pytest.raises(GeoError, match="buiten Nederland"):
        check_point(Point(48.8566, 2.3522))  # Paris
    with pytest.raises(GeoError, match="omgedraaid"):
        check_point(Point(5.387206, 52.155172))


@pytest.mark.django_db
def test_a_point_must_lie_in_the_organisations_area_and_not_in_its_holes(
    amstelstad: Organisation, heidedorp: Organisation
) -> None:
    amstelstad.area = AREA
    amstelstad.full_clean()
    assert area_of(heidedorp) is None  # no area: the whole country counts
    assert check_point(Point(53.2, 6.5), organisation=heidedorp)
    check_point(AMERSFOORT, organisation=amstelstad)
    with pytest.raises(GeoError, match="buiten het gebied van Gemeente Amstelstad"):
        check_point(Point(52.3, 5.38), organisation=amstelstad)
    with pytest.raises(GeoError, match="buiten het gebied"):
        check_point(Point(52.18, 5.42), organisation=amstelstad)  # in the lake


def test_an_area_may_be_a_feature_or_several_polygons() -> None:
    feature = {"type": "Feature", "properties": {}, "geometry": json.loads(AREA)}
    assert parse_area(json.dumps(feature)).contains(AMERSFOORT)
    islands = parse_area(
        json.dumps(
            {
                "type": "MultiPolygon",
                "coordinates": [
                    [square(53.44, 6.10, 53.50, 6.30)],  # Schiermonnikoog
                    [square(53.36, 5.60, 53.43, 5.90)],  # Terschelling-ish
                ],
            }
        )
    )
    assert islands.contains(Point(53.47, 6.2)) and islands.contains(Point(53.4, 5.7))
    assert not islands.contains(Point(53.4, 6.0))  # the sea between
    assert islands.bounds == BoundingBox(53.36, 5.60, 53.50, 6.30)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "geen geldige GeoJSON"),
        ('{"type": "Point", "coordinates": [5.3, 52.1]}', "Polygon"),
        ('{"type": "Polygon", "coordinates": []}', "geen coördinaten"),
        ('{"type": "Polygon", "coordinates": [[[5, 52], [6, 52], [6, 53]]]}', "vier posities"),
        (
            '{"type": "Polygon", "coordinates": [[[5, 52], [6, 52], [6, 53], [5, 53]]]}',
            "eindigen waar hij begint",
        ),
        ('{"type": "Polygon", "coordinates": [[[5, 52], [6, "x"], [6, 53], [5, 52]]]}', "getallen"),
        (
            json.dumps({"type": "Polygon", "coordinates": [square(5, 52, 6, 53)]}),
            "buiten Nederland",
        ),
    ],
)
def test_an_area_that_is_not_one_is_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(GeoError, match=message):
        parse_area(text)


@pytest.mark.django_db
def test_the_organisation_form_refuses_a_bad_area(amstelstad: Organisation) -> None:
    amstelstad.area = '{"type": "Point"}'
    with pytest.raises(ValidationError) as caught:
        amstelstad.full_clean()
    assert "area" in caught.value.message_dict


# --- the form field ----------------------------------------------------------------------


def test_the_coordinate_field_cleans_rd_and_wgs84_to_a_point() -> None:
    field = CoordinateField()
    assert field.clean("52.155172, 5.387206") == AMERSFOORT
    assert haversine_m(field.clean("155000, 463000"), AMERSFOORT) < 2.0
    with pytest.raises(ValidationError, match="Vul de coördinaten van de plek in."):
        field.clean("")
    assert CoordinateField(required=False).clean("") is None
    with pytest.raises(ValidationError, match="buiten Nederland"):
        field.clean("48.8566, 2.3522")
    assert field.prepare_value(AMERSFOORT) == "52.155172, 5.387206"


@pytest.mark.django_db
def test_the_location_form_checks_the_organisations_area(amstelstad: Organisation) -> None:
    amstelstad.area = AREA
    inside = LocationForm({"location": "155000, 463000"}, organisation=amstelstad)
    assert inside.is_valid(), inside.errors
    outside = LocationForm({"location": "52.3, 5.38"}, organisation=amstelstad)
    assert not outside.is_valid()
    assert outside.errors["location"] == [
        "Dit punt ligt buiten het gebied van Gemeente Amstelstad."
    ]


# --- nearby, on SQLite and PostgreSQL ----------------------------------------------------


@pytest.mark.django_db
def test_nearby_finds_rows_within_the_radius_nearest_first(
    amstelstad: Organisation, heidedorp: Organisation
) -> None:
    def spot(name: str, point: Point, organisation: Organisation = amstelstad) -> Spot:
        row = Spot(organisation=organisation, name=name)
        row.place_at(point)
        row.save()
        return row

    at_500 = spot("500 m noord", _destination(AMERSFOORT, 0, 500))
    at_1500 = spot("1500 m oost", _destination(AMERSFOORT, 90, 1500))
    spot("2100 m zuid", _destination(AMERSFOORT, 180, 2100))
    # Inside the box around the circle but beyond the radius: the corner.
    spot("hoek", _destination(AMERSFOORT, 45, 2000 * math.sqrt(2) * 0.95))
    spot("elders", _destination(AMERSFOORT, 0, 300), organisation=heidedorp)
    spots = Spot.objects.filter(organisation=amstelstad)

    found = nearby(spots, AMERSFOORT, 2000)
    assert [row.item.pk for row in found] == [at_500.pk, at_1500.pk]
    assert found[0].distance_m == pytest.approx(500, abs=0.01)
    assert found[1].distance_m == pytest.approx(1500, abs=0.01)
    assert [row.item.name for row in nearby(spots, AMERSFOORT, 2000, limit=1)] == ["500 m noord"]
    assert within(spots, BoundingBox.around(AMERSFOORT, 2000)).count() == 3  # the corner too
    assert nearby(spots, Point(53.2, 6.5), 1000) == []


# --- tiles and the map include -----------------------------------------------------------


def test_the_tile_server_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MAP_TILE_URL", raising=False)
    assert tile_url("MAP_TILE_URL") == ("", "")
    monkeypatch.setenv("MAP_TILE_URL", "/tegels/{z}/{x}/{y}.png")
    assert tile_url("MAP_TILE_URL") == ("/tegels/{z}/{x}/{y}.png", "")
    monkeypatch.setenv("MAP_TILE_URL", "https://{s}.tegels.example.nl/{z}/{x}/{y}.png")
    assert tile_url("MAP_TILE_URL")[1] == "https://*.tegels.example.nl"
    for bad in ("https://tegels.example.nl/kaart.png", "ftp://x/{z}/{x}/{y}", "//x/{z}/{x}/{y}"):
        monkeypatch.setenv("MAP_TILE_URL", bad)
        with pytest.raises(ImproperlyConfigured, match="MAP_TILE_URL"):
            tile_url("MAP_TILE_URL")


def test_the_map_include_has_the_points_as_a_table_and_as_data(
    rf: RequestFactory, settings: pytest.FixtureRequest
) -> None:
    points = [
        MapPoint(AMERSFOORT, "Bankje <bij de vijver>", "/plekken/1/"),
        MapPoint(Point(52.16, 5.39), "Lantaarnpaal"),
    ]
    html = render_to_string(
        "web/includes/map.html", {"points": points, "caption": "Plekken"}, request=rf.get("/")
    )
    assert 'class="map" hidden' in html  # shown by the script only
    assert "Bankje &lt;bij de vijver&gt;" in html and "Lantaarnpaal" in html
    assert "52,15517" in html  # the table, in Dutch notation
    start = html.index('<script id="kaart-gegevens" type="application/json">')
    payload = json.loads(html[start:].split(">", 1)[1].split("</script>", 1)[0])
    assert payload["points"][0] == {
        "lat": 52.155172,
        "lon": 5.387206,
        "label": "Bankje <bij de vijver>",
        "url": "/plekken/1/",
    }
    assert payload["area"] == []
    assert 'data-tile-url=""' in html  # no tile server unless one is configured
    assert "http" not in html.split("<script", 1)[0].split("<link", 1)[1].split(">", 1)[0]


@pytest.mark.django_db
@pytest.mark.urls("tests.kitapp.urls")
def test_a_page_finds_nearby_spots_from_rd_coordinates_without_javascript(
    amstelstad: Organisation,
) -> None:
    bench = Spot(organisation=amstelstad, name="Bankje")
    bench.place_at(_destination(AMERSFOORT, 0, 800))
    bench.save()
    page = Client().get("/kit/amstelstad/kaart/", {"location": "155000, 463000"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Bankje: 800 m" in html
    wrong = Client().get("/kit/amstelstad/kaart/", {"location": "48.85, 2.35"}).content.decode()
    assert "Dit punt ligt buiten Nederland." in wrong
