# Passerelle web platform. Configure with DATABASE_URL and SECRET_KEY (see README).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PASSERELLE_ENV=production \
    PASSERELLE_DATA_DIR=/data \
    PASSERELLE_WORKERS=1 \
    PROMETHEUS_MULTIPROC_DIR=/tmp/passerelle-metrics

RUN useradd --create-home --uid 10001 passerelle \
    && mkdir /data && chown passerelle /data

# The locked dependencies first (hash-checked), so that a code change reuses this layer.
COPY requirements.lock /tmp/requirements.lock
RUN pip install --require-hashes -r /tmp/requirements.lock

# Then the platform itself, as a wheel: pages, assets and catalogues are package data.
COPY . /tmp/src
RUN pip install --no-deps /tmp/src && rm -rf /tmp/src

WORKDIR /home/passerelle
USER passerelle
EXPOSE 8000
VOLUME ["/data"]
# Migrations first (safe to repeat, and to run from several containers at once on
# PostgreSQL), then the server on every interface: PASSERELLE_WORKERS processes (read by
# `passerelle serve`; one per core is a good start). The metrics directory is emptied
# first: the values of a previous run must not be added to this one's.
CMD ["sh", "-c", "rm -rf \"$PROMETHEUS_MULTIPROC_DIR\" && mkdir -p \"$PROMETHEUS_MULTIPROC_DIR\" && passerelle init && exec passerelle serve --host 0.0.0.0 --port 8000"]
