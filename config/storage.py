"""Where uploaded media live: the local disk, or S3-compatible object storage when DJANGO_S3_BUCKET is set."""

FILE_SYSTEM_BACKEND = "django.core.files.storage.FileSystemStorage"
S3_BACKEND = "storages.backends.s3.S3Storage"
# Media names never change meaning: uploads get a fresh name instead of overwriting, renditions are named
# by their source and spec. So browsers and CDNs may keep them for a year without asking again.
IMMUTABLE = "public, max-age=31536000, immutable"

# Optional settings of S3Storage and the variables that give them; boto3 finds credentials itself (an
# instance role, ~/.aws, AWS_* variables) when the keys are not set.
S3_OPTIONAL = {
    "endpoint_url": "DJANGO_S3_ENDPOINT_URL",
    "region_name": "DJANGO_S3_REGION",
    "access_key": "DJANGO_S3_ACCESS_KEY_ID",
    "secret_key": "DJANGO_S3_SECRET_ACCESS_KEY",
    "custom_domain": "DJANGO_S3_CUSTOM_DOMAIN",
}


def media_storage_from_env(environ):
    """``STORAGES["default"]`` for these environment variables."""
    bucket = environ.get("DJANGO_S3_BUCKET", "")
    if not bucket:
        return {"BACKEND": FILE_SYSTEM_BACKEND}
    options = {
        "bucket_name": bucket,
        "querystring_auth": False,  # a newspaper's photos are public: plain, cacheable addresses
        "file_overwrite": False,
        "object_parameters": {"CacheControl": IMMUTABLE},
    }
    options.update({option: environ[name] for option, name in S3_OPTIONAL.items() if environ.get(name)})
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}
