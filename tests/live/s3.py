"""S3 for the live tests: moto's server mode as a real S3 API on 127.0.0.1, and form uploads."""

import os
import subprocess
import sys

from .servers import wait_for_port


class S3Server:
    """moto's S3 API in server mode on 127.0.0.1:`port`: a real HTTP S3 endpoint, in memory."""

    KEYS = {"AWS_ACCESS_KEY_ID": "live-test-key", "AWS_SECRET_ACCESS_KEY": "live-test-secret"}

    def __init__(self, port, bucket="medborgarloften-live"):
        self.port, self.bucket, self.process = port, bucket, None

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        self.client().create_bucket(Bucket=self.bucket)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=self.KEYS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=self.KEYS["AWS_SECRET_ACCESS_KEY"],
        )

    def env(self):
        """What the app's processes need to store their files here (promise_portal/storages.py)."""
        return {
            "STORAGE_S3_BUCKET": self.bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_S3_REGION_NAME": "us-east-1",
            **self.KEYS,
        }

    def keys(self, prefix=""):
        listing = self.client().list_objects_v2(Bucket=self.bucket, Prefix=prefix)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def read(self, key):
        return self.client().get_object(Bucket=self.bucket, Key=key)["Body"].read()


def multipart(fields, files):
    """(body, content type) of a form with file uploads, as a browser posts it."""
    boundary = "----live-test-" + os.urandom(8).hex()
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, (filename, data) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
