# Barker's backend and fan-out worker (one image: `barker serve` or `barker worker`), on the ArangoDB store
# when BARKER_STORE_URL=arangodb://... (see docker-compose.yml and README "Running on ArangoDB").
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY barker ./barker
COPY backend ./backend
# barker/aql is a symlink to this directory: the wheel built below carries the queries.
COPY aql ./aql
RUN pip install ".[arango]" && rm -rf /src

RUN useradd --create-home --uid 10001 barker
USER barker
WORKDIR /home/barker
# Uploaded media live under the data dir; created here so a volume mounted on it belongs to this user.
RUN mkdir -p /home/barker/data/media
ENV BARKER_HOST=0.0.0.0 BARKER_PORT=8000 BARKER_DATA_DIR=/home/barker/data
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=2)"
CMD ["barker", "serve", "--no-access-log"]
