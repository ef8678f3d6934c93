"""Time clinical photos: upload of a 12-megapixel JPEG, aligning two of them, and a patient's
gallery of 300 photos.

Run: .venv/bin/python bench/bench_photos.py [--repeat 20] [--gallery-repeat 200]
     [--database-url postgres://postgres@127.0.0.1:5432/mesochart_bench_photos] [--s3]
     [--output FILE]

``upload_12mp``: ``photos.actions.take_photo`` on a 4000 × 3000 JPEG (decode, checks, EXIF
strip and re-encode, thumbnail, SHA-256, quality check, two files saved, row, audit row).
``align_12mp``: ``photos.views.comparison`` (both stored 12 MP images read and decoded, ORB
features, RANSAC similarity), the compare page's work. ``gallery_300``: ``GET`` the
patient's photo page with 300 photos (one read audit row); ``thumbnail``: one thumbnail
through its access-checked view. ``--s3`` runs the upload against a local moto S3 server
instead of the filesystem. Photos are synthetic (seeded). Targets: p95 upload < 1 s, align
< 1 s, gallery < 100 ms.
"""

import argparse
import os
import socket

from common import (
    code_version,
    fresh_database,
    machine,
    print_table,
    progress,
    setup_django,
    summarise,
    time_interleaved,
    write_report,
)

TARGET_MS = {
    "upload_12mp": 1000.0,
    "upload_12mp_s3": 1000.0,
    "align_12mp": 1000.0,
    "gallery_300": 100.0,
}
GALLERY_PHOTOS = 300


def _start_s3():
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    for key, value in {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "eu-west-2",
        "MESOCHART_PHOTO_STORAGE": "s3",
        "MESOCHART_PHOTO_BUCKET": "bench-photos",
        "MESOCHART_PHOTO_S3_ENDPOINT": f"http://127.0.0.1:{port}",
        "MESOCHART_PHOTO_S3_REGION": "eu-west-2",
    }.items():
        os.environ[key] = value
    import boto3

    boto3.client(
        "s3", endpoint_url=f"http://127.0.0.1:{port}", region_name="eu-west-2"
    ).create_bucket(
        Bucket="bench-photos", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )
    return server


def _world():
    import cv2

    from mesochart.conftest import Practice, signed_in
    from mesochart.testing import photos as support
    from mesochart.testing.images import similarity, textured

    practice = Practice()
    base = textured(1, 4000, 3000)
    moved = cv2.warpAffine(
        base,
        similarity(4, 1.05, (60, -40), (2000, 1500)),
        (4000, 3000),
        borderValue=(128, 128, 128),
    )
    jpegs = [support.jpeg(pixels=base), support.jpeg(pixels=moved)]
    return practice, jpegs, signed_in


def run(args) -> dict:
    server = _start_s3() if args.s3 else None
    try:
        with fresh_database(args.database_url) as vendor:
            setup_django()
            from django.conf import settings

            from mesochart.photos import actions
            from mesochart.photos.views import comparison
            from mesochart.testing import photos as support

            practice, jpegs, signed_in = _world()
            membership = practice.actor(practice.nurse)
            fields = {"area": "face", "view": "front"}
            reps, warm = args.repeat, 3

            def upload(data):
                return actions.take_photo(membership, practice.patient, data, fields)

            earlier, later = upload(jpegs[0]), upload(jpegs[1])
            assert comparison(membership, earlier.pk, later.pk)[2].ok
            name = "upload_12mp_s3" if args.s3 else "upload_12mp"
            operations = {
                name: (upload, [jpegs[i % 2] for i in range(reps + warm)]),
                "align_12mp": (
                    lambda pair: comparison(membership, *pair),
                    [(earlier.pk, later.pk)] * (reps + warm),
                ),
            }
            with progress() as bar:
                task = bar.add_task("12 MP", total=2 * (reps + warm))
                samples = time_interleaved(operations, warm, lambda: bar.advance(task))
            results = {op: summarise(*samples[op]) for op in samples}

            small = support.jpeg(3, 800, 600)
            have = practice.patient.photos.count()
            for _ in range(GALLERY_PHOTOS - have):
                upload(small)
            client = signed_in(practice.practitioner)
            url = f"/photos/patient/{practice.patient.pk}/"
            thumb = f"/photos/{earlier.pk}/thumbnail.jpg"
            g = args.gallery_repeat

            def get(path):
                response = client.get(path)
                assert response.status_code == 200, response.status_code

            gallery_ops = {
                "gallery_300": (get, [url] * (g + 10)),
                "thumbnail": (get, [thumb] * (g + 10)),
            }
            with progress() as bar:
                task = bar.add_task("gallery", total=2 * (g + 10))
                samples = time_interleaved(gallery_ops, 10, lambda: bar.advance(task))
            results.update({op: summarise(*samples[op]) for op in samples})
            storage_backend = settings.STORAGES["photos"]["BACKEND"]
    finally:
        if server is not None:
            server.stop()
    return {
        "benchmark": "clinical photos",
        "database": vendor,
        "photo_storage": storage_backend,
        "image": "4000 × 3000 synthetic JPEG, quality 92",
        "gallery_photos": GALLERY_PHOTOS,
        "targets_p95_ms": TARGET_MS,
        "met": {k: results[k]["p95_ms"] < t for k, t in TARGET_MS.items() if k in results},
        "results": results,
        "machine": machine(),
        "code": code_version(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--gallery-repeat", type=int, default=200)
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    parser.add_argument("--s3", action="store_true", help="photos on a local moto S3 server")
    parser.add_argument("--output", default=None, help="write the JSON report here")
    args = parser.parse_args()
    report = run(args)
    print_table("photos", report["results"], TARGET_MS.get)
    write_report(report, args.output)


if __name__ == "__main__":
    main()
