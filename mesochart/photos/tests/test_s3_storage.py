"""Photos on an S3-compatible object store (django-storages), against a local moto server
the test starts itself on the loopback address: same checks, same hash, nothing public."""

import hashlib
import socket
import uuid

import pytest

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def s3(settings, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-2")
    bucket = f"clinic-photos-{uuid.uuid4().hex[:8]}"  # moto keeps buckets per process
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-2")
    client.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "region_name": "eu-west-2",
                "default_acl": "private",
                "file_overwrite": False,
            },
        },
    }
    client.bucket = bucket
    yield client
    server.stop()


def test_a_photo_is_stored_in_the_bucket_and_served_through_the_view(
    practice, client_for, take, s3
):
    from mesochart.testing import photos as support

    photo = take(support.with_gps())
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=s3.bucket)["Contents"]}
    assert keys == {photo.image_name, photo.thumb_name}
    stored = s3.get_object(Bucket=s3.bucket, Key=photo.image_name)["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == photo.sha256
    assert b"Exif" not in stored
    served = client_for(practice.practitioner).get(f"/photos/{photo.pk}/image.jpg")
    assert served.content == stored
    assert client_for(practice.outsider).get(f"/photos/{photo.pk}/image.jpg").status_code == 404
    grants = s3.get_object_acl(Bucket=s3.bucket, Key=photo.image_name)["Grants"]
    assert all("AllUsers" not in str(g.get("Grantee")) for g in grants)


def test_a_hostile_file_leaves_the_bucket_empty(practice, take, s3):
    from django.core.exceptions import ValidationError

    from mesochart.testing import photos as support

    with pytest.raises(ValidationError):
        take(support.HOSTILE["polyglot (html after the image)"])
    assert s3.list_objects_v2(Bucket=s3.bucket).get("KeyCount") == 0
