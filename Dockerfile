# Medborgarlöftesportalen: the app image (gunicorn; the same image runs the task worker).
# Untested where it was written (no Docker engine there); see docs/operations.md.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Debian's Chromium (plotly/kaleido draw the report charts with it; nothing is downloaded at run
# time), fonts for it, and Pango/HarfBuzz for WeasyPrint. The report's own font is in static/.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        chromium \
        fonts-dejavu-core \
        fonts-liberation \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --create-home --home-dir /home/portal --uid 10001 portal \
    && mkdir -p /data/media \
    && chown portal:portal /data/media

WORKDIR /app
# The runtime dependencies of pyproject.toml, at the exact versions of requirements.lock
# (the development tools are in requirements-dev.lock, which the image does not install).
COPY pyproject.toml requirements.lock README.md ./
RUN pip install --constraint requirements.lock .

COPY . .
# Hashed, compressed static files, made once at build time; the key is for this step only.
RUN DEBUG=0 SECRET_KEY=collectstatic-only STATIC_ROOT=/app/staticfiles \
    python manage.py collectstatic --noinput --verbosity 0

ENV DEBUG=0 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media \
    BROWSER_PATH=/usr/bin/chromium \
    GUNICORN_BIND=0.0.0.0:8000 \
    FORWARDED_ALLOW_IPS=*

USER portal
VOLUME ["/data/media"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/healthz/', timeout=4)"]
CMD ["gunicorn", "-c", "gunicorn.conf.py"]
