"""Your own area in Spanish: the method note, the tracts' table, the district search, and an
upload's or an area's errors and notes read in Spanish (checked by hand), every message template
has its Spanish, the page's controls for making an area are in Spanish, and English is unchanged.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from string import Formatter

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from indicators.ingest.upload import UploadError, read_upload
from indicators.metrics.areas import AreaError, Message
from indicators.present import areas
from indicators.present.places import find_district
from indicators.present.spanish import SPANISH
from tests.test_pages import PROJECT, assert_clean, text_of
from tests.test_pages import app_env as app_env  # noqa: F401, PLC0414 (the fixture)

NBSP = "\u00a0"
SUMMARY = pd.Series({"units": 5, "whole_units": 2, "population": 12400.0,
                     "partial_population_share": 0.42, "outside_share": 0.5, "area_km2": 3.2})
SQUARE = [[-84.40, 33.75], [-84.39, 33.75], [-84.39, 33.76], [-84.40, 33.76], [-84.40, 33.75]]


def test_the_method_note_in_spanish() -> None:
    assert areas.method_note(SUMMARY, "Sample City", "es") == (
        "Tu zona mide 3,2 km² y en ella viven unas 12.400 personas. "
        "Toca 5 sectores censales, 2 de ellos completamente dentro. "
        "Cada sector censal cuenta según la parte de su superficie que queda dentro de tu zona, "
        "suponiendo que la gente vive repartida por igual dentro de cada sector (ponderación por "
        f"superficie). El 42{NBSP}% de la gente de tu zona vive en sectores censales que solo "
        "quedan en parte dentro, así que sus números son los menos seguros. "
        f"El 50{NBSP}% de tu zona queda fuera de los sectores censales de Sample City, donde no "
        "tenemos datos: el perfil es de la parte que queda dentro.")
    one = SUMMARY.copy()
    one[["units", "whole_units", "population", "partial_population_share", "outside_share",
         "area_km2"]] = [1, 0, float("nan"), float("nan"), 0.0, 1234.56]
    assert areas.method_note(one, "Sample City", "es").split(". ")[:2] == [
        "Tu zona mide 1234,6 km² y no sabemos cuántas personas viven en ella",
        "Toca 1 sector censal (0 completamente dentro de tu zona)"]


def test_the_method_note_in_english_is_unchanged() -> None:
    assert areas.method_note(SUMMARY, "Sample City") == (
        "Your area covers 3.2 km² and about 12,400 people. It touches 5 census tracts, 2 of them "
        "wholly inside. Each tract counts by the share of its area inside yours, assuming people "
        "are spread evenly within a tract (areal weighting). 42% of your area's people live in "
        "tracts only partly inside it, so their numbers are the least certain. 50% of your area "
        "lies outside Sample City's tracts, where we have no data: the profile is for the part "
        "inside.")
    one = SUMMARY.copy()
    one[["units", "population"]] = [1, float("nan")]
    assert areas.method_note(one, "X").startswith(
        "Your area covers 3.2 km² and about an unknown number of people. It touches 1 census "
        "tract, 2 of them wholly inside.")
    assert areas.ONLY_SLIVERS == areas.only_slivers("en") == (
        "Your area touches only slivers of tracts (each under 1% of the tract inside it), so no "
        "tract is listed; they still count by their share.")
    assert areas.only_slivers("es") == (
        f"Tu zona solo toca pedacitos de sectores censales (menos del 1{NBSP}% de cada sector "
        "queda dentro), así que no se lista ninguno; aun así cuentan según la parte que queda "
        "dentro.")


SHARES = pd.DataFrame({"area": "mine", "geoid": ["g1", "g2", "g3"], "weight": [1.0, 0.4567, 0.005]})
NAMES = pd.Series({"g1": "Tract 1", "g2": "Tract 2", "g3": "Tract 3"})
PEOPLE = pd.Series({"g1": 1234.0, "g2": 3000.0, "g3": 900.0})


def test_the_tracts_table_in_spanish_and_english() -> None:
    spanish = areas.share_table(SHARES, NAMES, PEOPLE, "es")
    assert spanish.to_dict("list") == {
        "Sector censal": ["Tract 1", "Tract 2"], "GEOID": ["g1", "g2"],
        "Parte dentro": ["todo", f"46{NBSP}%"], "Personas contadas": ["1.234", "1.370"]}
    english = areas.share_table(SHARES, NAMES, PEOPLE)
    assert english.to_dict("list") == {
        "Tract": ["Tract 1", "Tract 2"], "GEOID": ["g1", "g2"],
        "Share inside": ["all", "46%"], "People counted": ["1,234", "1,370"]}
    assert list(areas.share_table(SHARES.iloc[2:], NAMES, PEOPLE, "es").columns) == list(spanish.columns)


DISTRICTS = pd.DataFrame({"district_id": ["westside", "west-end"], "name": ["Westside", "West End"]})
UNITS = pd.DataFrame({"geoid": ["99001010100", "99001099900"],
                      "name": ["Census Tract 101", "Census Tract 999"]})
CROSSWALK = pd.DataFrame({"geoid": ["99001010100"], "district_id": ["westside"], "weight": [1.0]})


@pytest.mark.parametrize(("typed", "found", "spanish", "english"), [
    ("westside", "westside", "Mostrando Westside.", "Showing Westside."),
    ("west", None, "Coinciden varios distritos: Westside, West End. Escribe un poco más.",
     "Several districts match: Westside, West End. Type more."),
    ("Tract 101", "westside", "Census Tract 101 está casi todo en Westside.",
     "Census Tract 101 is mostly in Westside."),
    ("99001099900", None, "Census Tract 999 queda fuera de los distritos que se muestran aquí.",
     "Census Tract 999 is outside the districts shown here."),
    ("north *", None, "Ningún distrito ni sector censal coincide con “north \\*”.",
     "No district or census tract matches “north \\*”."),
])
def test_the_district_search_answers_in_spanish(typed: str, found: str | None, spanish: str,
                                                english: str) -> None:
    assert find_district(typed, DISTRICTS, UNITS, CROSSWALK, "es") == (found, spanish)
    assert find_district(typed, DISTRICTS, UNITS, CROSSWALK) == (found, english)


def refused(data: bytes, filename: str = "area.geojson", **options: object) -> UploadError:
    with pytest.raises(UploadError) as caught:
        read_upload(data, filename, **options)
    return caught.value


def collection(*geometries: dict) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": g} for g in geometries]}).encode()


def test_an_uploads_errors_and_notes_in_spanish() -> None:
    empty = refused(b"")
    assert str(empty) == "The file is empty (0 bytes): upload it again."
    assert areas.said(empty.message, "es") == "El archivo está vacío (0 bytes): vuelve a subirlo."
    # A message within a message is translated with it.
    text = refused(b"hello there", "area.txt")
    assert areas.said(text.message, "es") == (
        "No se pudo leer el archivo como GeoJSON, shapefile en .zip ni GeoPackage: no es ninguno "
        "de ellos; revisa que elegiste el archivo correcto (un .geojson, un .zip con un shapefile "
        "o un .gpkg).")
    lines = refused(collection({"type": "Point", "coordinates": [-84.4, 33.75]},
                               {"type": "LineString", "coordinates": SQUARE[:2]}))
    assert str(lines).startswith("The file holds lines and points, not areas")
    assert areas.said(lines.message, "es") == (
        "El archivo trae líneas y puntos, no zonas: dibuja o sube el contorno de la zona (un "
        "polígono).")
    # Numbers the page writes are written the Spanish way; names from the file are left as given.
    far = [[2_200_000, 1_300_000], [2_200_100, 1_300_000], [2_200_100, 1_300_100],
           [2_200_000, 1_300_000]]
    placed = refused(collection({"type": "Polygon", "coordinates": [far]}))
    assert "run from 2,200,000 to 2,200,100 across and 1,300,000 to 1,300,100 up" in str(placed)
    assert areas.said(placed.message, "es").startswith(
        "Las coordenadas dicen ser longitud/latitud (EPSG:4326) pero van de 2.200.000 a "
        "2.200.100 de ancho y de 1.300.000 a 1.300.100 de alto")
    field = refused(collection({"type": "Polygon", "coordinates": [SQUARE]}), name_field="x,1.5")
    assert areas.said(field.message, "es") == (
        "El archivo no tiene ningún campo llamado 'x,1.5' (no tiene campos): elige uno de sus "
        "campos para los nombres, o ninguno para numerar las zonas.")
    large = refused(b"{" * 2_500_000, max_bytes=1_000_000)
    assert areas.said(large.message, "es").startswith(
        "El archivo pesa 2,5 MB y el límite es 1 MB: sube solo el contorno de tu zona")
    upload = read_upload(collection({"type": "Polygon", "coordinates": [SQUARE]},
                                    {"type": "Point", "coordinates": [-84.4, 33.75]}), "a.geojson")
    assert upload.notes == ("Left out 1 non-area feature (points); only areas are profiled.",)
    assert [areas.said(n, "es") for n in upload.notes] == [
        "Se dejó fuera 1 elemento que no es una zona (puntos); solo se hace el perfil de zonas."]


def test_an_areas_errors_in_spanish() -> None:
    try:
        areas.decode_area("??not-an-area")
    except AreaError as exc:
        assert areas.said(exc.message, "es") == ("La zona de este enlace está dañada: vuelve a "
                                                 "dibujarla o a subirla.")
    one = AreaError("The area {name!r} covers no census tract of {region}: draw or upload an "
                    "area inside the region.", name="tu zona", region="Sample City")
    assert str(one).startswith("The area 'tu zona' covers no census tract of Sample City")
    assert areas.said(one.message, "es") == ("La zona 'tu zona' no cubre ningún sector censal "
                                             "de Sample City: dibuja o sube una zona dentro de la "
                                             "región.")
    assert areas.said("A text with no template", "es") == "A text with no template"
    assert areas.said(Message("{v:,.0f}", v=1234567.0), "es") == "1.234.567"


#: The messages of uploads and areas, where they are made.
MESSAGE_SOURCES = ["indicators/ingest/upload.py", "indicators/metrics/areas.py",
                   "indicators/present/areas.py"]
#: Callables whose string arguments are message templates (``_count``: its two sentences).
MAKERS = {"Message": 1, "UploadError": 1, "AreaError": 1, "_count": 3}


def test_every_message_template_has_its_spanish() -> None:
    templates = []
    for name in MESSAGE_SOURCES:
        for node in ast.walk(ast.parse((PROJECT / name).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MAKERS:
                for arg in node.args[:MAKERS[node.func.id]]:
                    assert not isinstance(arg, ast.JoinedStr), f"{name}:{node.lineno}: an f-string " \
                        "cannot be translated: pass the values as keywords"
                    if isinstance(arg, ast.IfExp):
                        arg = arg.body if isinstance(arg.body, ast.Constant) else arg
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        templates.append(arg.value)
    assert len(templates) > 40
    words = [t for t in templates if any(c.isalpha() for literal, *_ in Formatter().parse(t)
                                         for c in literal)]
    missing = [t for t in words if t not in SPANISH]
    assert not missing, f"message templates without Spanish: {missing}"


def open_area_page(lang: str, how: str, query: dict[str, str] | None = None) -> AppTest:
    """The neighbourhood page's own area, made ``how`` (set as the page's controls would)."""
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=90)
    if lang != "en":
        at.query_params["lang"] = lang
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.session_state["show"] = "area"
    at.session_state["how"] = how
    at.run()
    return at


def test_making_an_area_reads_in_spanish(sample_db: Path, app_env) -> None:
    app_env(sample_db)
    at = open_area_page("es", "combine")
    assert_clean(at)
    how = next(r for r in at.radio if r.label == "Crea tu zona")
    assert how.options == ["Dibújala en el mapa", "Sube un límite (archivo)",
                           "Combina sectores censales o distritos"]
    assert how.value == "combine"
    assert {m.label for m in at.multiselect} >= {"Distritos",
                                                 "Sectores censales (o tócalas en el mapa)"}
    assert {m.proto.placeholder for m in at.multiselect if m.label == "Distritos"} == {
        "Elige una o varias"}
    assert "Elige distritos o sectores censales arriba" in "\n".join(i.value for i in at.info)
    combined = open_area_page("es", "combine", {"parts": "Westside"})
    assert_clean(combined)
    assert not combined.main.warning, [w.value for w in combined.main.warning]
    assert "tu zona" in text_of(combined)
    damaged = open_area_page("es", "draw", {"area": "??not-an-area"})
    assert_clean(damaged)
    assert "La zona de este enlace está dañada" in "\n".join(w.value for w in damaged.warning)
    drawing = open_area_page("es", "draw")
    assert "Dibuja tu zona en el mapa con la herramienta de polígono" in "\n".join(
        i.value for i in drawing.info)


def test_making_an_area_in_english_is_unchanged(sample_db: Path, app_env) -> None:
    app_env(sample_db)
    at = open_area_page("en", "combine")
    assert_clean(at)
    how = next(r for r in at.radio if r.label == "Make your area")
    assert how.options == ["Draw it on the map", "Upload a boundary", "Combine tracts or districts"]
    assert {m.label for m in at.multiselect} >= {"Districts", "Tracts (or click them on the map)"}
    assert all(not m.proto.placeholder for m in at.multiselect if m.label == "Districts")
    assert "Pick districts or tracts above, or click tracts on the map, to combine them." in "\n".join(
        i.value for i in at.info)
