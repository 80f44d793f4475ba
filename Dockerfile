# Build: the locked dependencies first (a layer that changes only with requirements.txt), then
# the code; only the virtual environment goes into the slim, non-root runtime image.
FROM python:3.11.11-slim-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends make gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
RUN python -m venv /app/.venv
COPY requirements.txt ./
RUN /app/.venv/bin/pip install --no-cache-dir --require-hashes -r requirements.txt
COPY pyproject.toml Makefile README.md ./
COPY iepimp ./iepimp
COPY schema ./schema
COPY resolvers ./resolvers
COPY models ./models
COPY mailers ./mailers
COPY kernel ./kernel
COPY web ./web
RUN make install PYTHON=python3.11 REQUIREMENTS=requirements.txt EDITABLE=

FROM python:3.11.11-slim-bookworm
RUN useradd --system --uid 10001 --home /app iepimp
WORKDIR /app
COPY --from=build /app/.venv /app/.venv
USER iepimp
ENV PATH=/app/.venv/bin:$PATH IEPIMP_ENV=production
EXPOSE 8000
# Liveness only: a database blip makes /readyz answer 503 (out of the load balancer) without
# marking the container unhealthy and restarting it.
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"
# The servers only; run `iepimp migrate` once before them (docker-compose.yml: service migrate).
CMD ["sh", "-c", "exec iepimp serve --host 0.0.0.0 --port 8000 --workers ${WEB_CONCURRENCY:-2}"]
