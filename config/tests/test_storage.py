import os
import socket
import subprocess
import sys

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from storages.backends.s3 import S3Storage

from articles.renditions import Rendition, generate_renditions, responsive_image
from articles.tests.factories import ImageFactory
from config.storage import media_storage_from_env
from config.tests.test_settings import ROOT

S3_ENVIRONMENT = {
    "DJANGO_S3_BUCKET": "citaonica-media",
    "DJANGO_S3_ENDPOINT_URL": "https://s3.example-provider.net",
    "DJANGO_S3_REGION": "eu-central-1",
    "DJANGO_S3_ACCESS_KEY_ID": "kljuc",
    "DJANGO_S3_SECRET_ACCESS_KEY": "tajna",
    "DJANGO_S3_CUSTOM_DOMAIN": "media.citaonica.example",
}
IMMUTABLE = "public, max-age=31536000, immutable"
OPTIMISTIC = "imagekit.cachefiles.strategies.Optimistic"


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the network was used")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_without_a_bucket_media_stay_on_the_local_disk():
    assert media_storage_from_env({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert media_storage_from_env({"DJANGO_S3_BUCKET": ""})["BACKEND"].endswith("FileSystemStorage")


def test_a_bucket_puts_media_on_s3_with_public_immutable_objects():
    assert media_storage_from_env(S3_ENVIRONMENT) == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "citaonica-media",
            "endpoint_url": "https://s3.example-provider.net",
            "region_name": "eu-central-1",
            "access_key": "kljuc",
            "secret_key": "tajna",
            "custom_domain": "media.citaonica.example",
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": IMMUTABLE},
        },
    }


def test_unset_s3_variables_leave_boto3_to_find_credentials_and_region():
    storage = media_storage_from_env({"DJANGO_S3_BUCKET": "citaonica-media", "DJANGO_S3_REGION": ""})
    options = storage["OPTIONS"]
    assert not {"endpoint_url", "region_name", "access_key", "secret_key", "custom_domain"} & set(options)


def test_media_addresses_on_s3_use_the_cdn_domain_without_asking_s3(settings, no_network):
    settings.STORAGES = {**settings.STORAGES, "default": media_storage_from_env(S3_ENVIRONMENT)}
    assert isinstance(storages["default"], S3Storage)
    assert default_storage.url("x.jpg") == "https://media.citaonica.example/x.jpg"
    assert default_storage.url("renditions/foto/ab12.webp") == (
        "https://media.citaonica.example/renditions/foto/ab12.webp"
    )


def media_settings(**environment):
    """STORAGES["default"] and the rendition strategy as settings.py makes them for this environment."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "media = s.STORAGES['default']; "
        "print(media['BACKEND'], media.get('OPTIONS', {}).get('bucket_name'), "
        "s.IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **env,
            **environment,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_SECRET_KEY": "x" * 50,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_settings_choose_s3_and_optimistic_renditions_from_the_environment():
    assert media_settings(DJANGO_S3_BUCKET="citaonica-media") == [
        "storages.backends.s3.S3Storage",
        "citaonica-media",
        OPTIMISTIC,
    ]
    assert media_settings() == [
        "django.core.files.storage.FileSystemStorage",
        "None",
        "imagekit.cachefiles.strategies.JustInTime",
    ]


@pytest.fixture
def optimistic_renditions(monkeypatch):
    """What DJANGO_S3_BUCKET selects; imagekit reads the setting once, when its ImageSpec class is made."""
    monkeypatch.setattr(Rendition, "cachefile_strategy", OPTIMISTIC)


@pytest.mark.django_db
@pytest.mark.usefixtures("optimistic_renditions")
def test_an_upload_makes_every_rendition_even_when_pages_assume_they_exist(settings):
    image = ImageFactory()
    generate_renditions(image)
    shown = responsive_image(image)
    urls = {candidate.split()[0] for candidate in f"{shown.srcset}, {shown.webp_srcset}".split(", ")} | {
        shown.src,
        shown.smallest,
    }
    assert len(urls) == 2 * 3  # 480, 800 and the photo's own 1200 pixels, in JPEG and WebP
    for url in urls:
        assert default_storage.exists(url.removeprefix(settings.MEDIA_URL)), url


@pytest.mark.django_db
@pytest.mark.usefixtures("optimistic_renditions")
def test_with_optimistic_renditions_a_page_alone_makes_no_file(settings):
    shown = responsive_image(ImageFactory())
    assert not default_storage.exists(shown.src.removeprefix(settings.MEDIA_URL))


@pytest.mark.django_db
def test_served_renditions_are_cached_for_a_year_and_other_media_for_a_day(client):
    rendition = responsive_image(ImageFactory()).src
    assert "/renditions/" in rendition
    response = client.get(rendition)
    assert response.status_code == 200
    assert response["Cache-Control"] == IMMUTABLE

    name = default_storage.save("foto/most.jpg", ContentFile(b"jpeg"))
    response = client.get(default_storage.url(name))
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=86400"
    assert client.get("/media/foto/nema.jpg").status_code == 404
