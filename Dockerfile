# The published JSON-LD contexts come from their npm packages (ob3/contexts/PROVENANCE.md), not the repository.
FROM node:20-slim AS contexts
WORKDIR /build
COPY ob3/contexts ob3/contexts
COPY scripts/install_contexts.mjs scripts/
RUN cd ob3/contexts && npm ci --no-audit --no-fund --loglevel=error && cd /build && node scripts/install_contexts.mjs

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY ob3 ob3
COPY --from=contexts /build/ob3/contexts/npm ob3/contexts/npm
COPY config config
COPY issuers issuers
COPY badges badges
COPY learners learners
COPY assessment assessment
RUN pip install .
COPY . .
COPY --from=contexts /build/ob3/contexts/npm ob3/contexts/npm
RUN useradd --create-home --uid 1000 mikromerit && mkdir -p var/media var/beat && chown -R mikromerit var
USER mikromerit

EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000"]
