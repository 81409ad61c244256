"""Files in S3-compatible object storage, against a local S3 server (moto's), as
several web machines would share them."""

import boto3
import pytest
from moto.server import ThreadedMotoServer

from tests import factories

BUCKET = "guichet-documents"


@pytest.fixture
def s3_storage(settings):
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    credentials = {"aws_access_key_id": "guichet", "aws_secret_access_key": "guichet-secret"}
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-3", **credentials)
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "eu-west-3",
                "access_key": credentials["aws_access_key_id"],
                "secret_key": credentials["aws_secret_access_key"],
                "default_acl": None,
                "file_overwrite": False,
            },
        },
    }
    yield s3
    server.stop()


def test_uploaded_document__stored_in_the_bucket_and_downloaded_back(
    s3_storage, procedure, resident, city_client
):
    case = factories.civil_status_case(procedure, resident)
    attachment = case.attachments.get(field_name="id_document")

    keys = [item["Key"] for item in s3_storage.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [attachment.file.name]
    city_client.force_login(resident)
    response = city_client.get(f"/dossiers/{case.pk}/documents/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == factories.TINY_PDF
