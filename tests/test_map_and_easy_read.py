"""Citizens' side (issue 19): the districts' map and the easy-to-read (lättläst) pages."""

import re

import pytest
from django.core.cache import cache

from commitments import maps
from commitments.workspace_forms import PromiseForm
from followups.demo_indicators import DEMO_BOUNDARIES, seed_boundaries
from followups.models import FollowUp

from .factories import FollowUpFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def with_boundaries(eskilstuna):
    seed_boundaries(eskilstuna)
    eskilstuna.touch()
    return eskilstuna


def square(lon, lat, size=0.01):
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_no_boundary_no_map(client, eskilstuna):
    assert maps.district_map(list(eskilstuna.districts.all())) is None
    assert "district-map" not in client.get(eskilstuna.get_absolute_url()).text


def test_the_promise_page_draws_each_district_as_a_named_link(client, with_boundaries):
    page = client.get(with_boundaries.get_absolute_url()).text
    svg = page[page.index("<svg") : page.index("</svg>")]
    links = re.findall(r'<a href="([^"]+)"\s+aria-label="([^"]+)"', svg)
    assert sorted(name for _url, name in links) == [
        "Centrum",
        "Fröslunda",
        "Lagersberg",
        "Skiftinge",
    ]
    for url, _name in links:
        assert client.get(url).status_code == 200
    assert svg.count('<path d="M') == 4
    # Drawn here: nothing is fetched from anyone else, nothing breaks the CSP.
    assert "http" not in svg and "style=" not in svg
    # Numbers in SVG are written with a point, whatever the language.
    assert not re.search(r'[xy]="\d+,\d', svg)
    # The list beside it is the text alternative.
    assert 'aria-labelledby="district-map-caption"' in svg
    for name in ("Centrum", "Fröslunda", "Lagersberg", "Skiftinge"):
        assert f">{name}</a>" in page


def test_the_district_page_marks_its_own_district(client, with_boundaries):
    district = with_boundaries.districts.get(slug="skiftinge")
    page = client.get(district.get_absolute_url()).text
    current = re.findall(r'aria-label="([^"]+)"\s+aria-current="page"', page)
    assert current == ["Skiftinge"]
    assert "area area-current" in page


def test_the_projection_keeps_north_up_and_east_right():
    class District:
        def __init__(self, name, boundary):
            self.name, self.boundary = name, boundary

    west, east = District("V", square(16.50, 59.37)), District("Ö", square(16.56, 59.37))
    north = District(
        "N", {"type": "MultiPolygon", "coordinates": [square(16.53, 59.40)["coordinates"]]}
    )
    drawn = maps.district_map([west, east, north, District("X", None)])
    by_name = {shape.district.name: shape for shape in drawn.shapes}
    assert set(by_name) == {"V", "Ö", "N"}
    assert by_name["V"].label_x < by_name["Ö"].label_x
    assert by_name["N"].label_y < by_name["V"].label_y
    assert drawn.width == maps.WIDTH and 0 < drawn.height < 2 * maps.WIDTH


def test_the_demo_gives_every_district_a_boundary(eskilstuna):
    seed_boundaries(eskilstuna)
    assert {d.slug for d in eskilstuna.districts.exclude(boundary=None)} == set(DEMO_BOUNDARIES)


def test_the_promise_has_an_easy_to_read_page_in_swedish(client, eskilstuna):
    page = client.get(eskilstuna.get_absolute_url()).text
    assert f'href="{eskilstuna.get_easy_read_url()}" lang="sv">Lättläst</a>' in page
    easy = client.get(eskilstuna.get_easy_read_url())
    assert easy.status_code == 200 and not easy.cookies
    assert '<article class="easy-read" lang="sv">' in easy.text
    assert "Polisen och Eskilstuna kommun lovar att göra tre saker" in easy.text
    assert f'href="{eskilstuna.get_absolute_url()}"' in easy.text
    # In the English interface the text is still marked as Swedish.
    english = client.get("/en" + eskilstuna.get_easy_read_url())
    assert '<html lang="en">' in english.text and 'class="easy-read" lang="sv"' in english.text


def test_without_an_easy_to_read_text_there_is_no_page_and_no_link(client, eskilstuna):
    eskilstuna.easy_read = ""
    eskilstuna.save()
    eskilstuna.touch()
    assert client.get(eskilstuna.get_easy_read_url()).status_code == 404
    assert "Lättläst</a>" not in client.get(eskilstuna.get_absolute_url()).text


def test_a_published_follow_up_has_its_easy_to_read_page(client, eskilstuna):
    followup = FollowUpFactory(
        promise=eskilstuna, state=FollowUp.State.PUBLISHED, easy_read="Det gick bra i våras."
    )
    followup.published_at = followup.created_at
    followup.save()
    eskilstuna.touch()
    page = client.get(followup.get_absolute_url()).text
    assert f'href="{followup.get_easy_read_url()}" lang="sv">Lättläst</a>' in page
    assert "Det gick bra i våras." in client.get(followup.get_easy_read_url()).text
    draft = FollowUpFactory(promise=eskilstuna, tertial=2, easy_read="Hemligt utkast.")
    assert client.get(draft.get_easy_read_url()).status_code == 404


def test_the_staff_forms_say_how_to_write_easy_swedish(eskilstuna):
    field = PromiseForm(instance=eskilstuna).fields["easy_read"]
    assert "korta meningar" in str(field.help_text)
    from followups.forms import FollowUpForm

    followup_field = FollowUpForm().fields["easy_read"]
    assert "korta meningar" in str(followup_field.help_text)


def test_easy_read_text_refuses_personal_data(eskilstuna):
    from django.core.exceptions import ValidationError

    eskilstuna.easy_read = "Ring Anna på 070-123 45 67."
    with pytest.raises(ValidationError):
        eskilstuna.full_clean()
