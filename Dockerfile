# Build: install with the same Makefile target the test suite uses (without the dev tools),
# then copy only the virtual environment into a slim, non-root runtime image.
FROM python:3.11-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends make gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml Makefile README.md ./
COPY iepimp ./iepimp
COPY schema ./schema
COPY resolvers ./resolvers
COPY models ./models
COPY mailers ./mailers
COPY kernel ./kernel
COPY web ./web
RUN make install PYTHON=python3.11 EXTRAS= EDITABLE=

FROM python:3.11-slim
RUN useradd --system --uid 10001 --home /app iepimp
WORKDIR /app
COPY --from=build /app/.venv /app/.venv
USER iepimp
ENV PATH=/app/.venv/bin:$PATH IEPIMP_ENV=production
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4).status == 200 else 1)"
CMD ["sh", "-c", "iepimp migrate && exec iepimp serve --host 0.0.0.0 --port 8000 --workers ${WEB_CONCURRENCY:-2}"]
