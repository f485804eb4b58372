"""Where stored files live: the local media folder, or an S3-compatible bucket shared by hosts.

Read by settings.py from the environment. Every stored file goes through Django's default
storage: the frozen report PDFs (reports/), spreadsheet uploads between preview and
confirmation (imports/), staff exports (exports/) and promise archives (archives/). With
STORAGE_S3_BUCKET set they are objects in that bucket (django-storages' S3 backend with boto3,
any S3 API: AWS, MinIO, Ceph, an OpenStack Swift gateway), so that every web process and task
worker, on any host, reads what another wrote. Files are never served from the bucket's address:
the views read them and check who may see them.
"""

import os
from pathlib import Path

FILESYSTEM = "django.core.files.storage.FileSystemStorage"
S3 = "storages.backends.s3.S3Storage"


def _secret(name):
    if os.environ.get(f"{name}_FILE"):
        return Path(os.environ[f"{name}_FILE"]).read_text().strip()
    return os.environ.get(name) or None


def default_storage():
    """The STORAGES["default"] entry the environment asks for."""
    bucket = os.environ.get("STORAGE_S3_BUCKET", "").strip()
    if not bucket:
        # Staff uploads, exports and unpublished records: readable by the service user only.
        return {
            "BACKEND": FILESYSTEM,
            "OPTIONS": {"file_permissions_mode": 0o600, "directory_permissions_mode": 0o700},
        }
    return {
        "BACKEND": S3,
        "OPTIONS": {
            "bucket_name": bucket,
            # Empty for AWS itself; the address of MinIO, Ceph or another S3 service otherwise.
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            # Unset: boto3's own chain (instance role, ~/.aws, AWS_* variables).
            "access_key": _secret("AWS_ACCESS_KEY_ID"),
            "secret_key": _secret("AWS_SECRET_ACCESS_KEY"),
            # A prefix inside the bucket, so that several installations may share one.
            "location": os.environ.get("STORAGE_S3_PREFIX", "").strip("/"),
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            # Never replace an object of the same name: a frozen report is written once
            # (followups/reports.py checks before it writes, and the bucket may forbid it too).
            "file_overwrite": False,
            # Private objects; the bucket's policy decides, no ACL is sent.
            "default_acl": None,
            "querystring_auth": True,
        },
    }
