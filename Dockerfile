# Passerelle web platform. Configure with DATABASE_URL and SECRET_KEY (see README).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PASSERELLE_ENV=production \
    PASSERELLE_DATA_DIR=/data \
    PASSERELLE_WORKERS=1

RUN useradd --create-home --uid 10001 passerelle \
    && mkdir /data && chown passerelle /data

WORKDIR /app
COPY pyproject.toml README.md babel.cfg ./
COPY passerelle ./passerelle
COPY services_catalog ./services_catalog
COPY matching ./matching
COPY templates ./templates
COPY static ./static
# Editable install: the pages read templates/ and static/ from this directory.
RUN pip install -e . && pybabel compile --use-fuzzy -d passerelle/locale

USER passerelle
EXPOSE 8000
VOLUME ["/data"]
# Migrations first (safe to repeat, and to run from several containers at once on
# PostgreSQL), then the server on every interface: PASSERELLE_WORKERS processes (read by
# `passerelle serve`; one per core is a good start).
CMD ["sh", "-c", "passerelle init && exec passerelle serve --host 0.0.0.0 --port 8000"]
