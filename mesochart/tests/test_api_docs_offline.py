"""The API's interactive docs work on a machine with no internet: Swagger UI comes from the
installation's own static files, never from a CDN."""

import re

from django.contrib.staticfiles import finders
from django.templatetags.static import static

ASSET = re.compile(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"')


def _docs_page(client) -> str:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    return response.content.decode()


def test_the_docs_page_names_no_outside_address(client):
    page = _docs_page(client)
    assert "cdn" not in page.lower()
    assert not [url for url in ASSET.findall(page) if url.startswith(("http:", "https:", "//"))]


def test_every_asset_of_the_docs_page_is_a_static_file_of_the_installation(client):
    assets = ASSET.findall(_docs_page(client))
    assert static("ninja/swagger-ui-bundle.js") in assets
    assert static("ninja/swagger-ui.css") in assets
    for url in assets:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), f"{url} is not in the installation"
