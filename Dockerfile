# Production image: the app only (no test tools), run as an unprivileged user.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 lerend
WORKDIR /app
COPY requirements.lock .
RUN pip install -r requirements.lock
COPY --chown=lerend:lerend . .
USER lerend
EXPOSE 8501
# LN_DATABASE_URL (PostgreSQL) and STREAMLIT_SERVER_COOKIE_SECRET (shared by all replicas)
# come from the orchestrator's secrets; FORWARDED_ALLOW_IPS names the proxy whose
# X-Forwarded-For/-Proto headers are believed (deploy/DEPLOYMENT.md). Migrations run before
# the server starts. app.py is the ASGI entry (sign-in cookie routes, security headers);
# inside the container it listens on every interface, only the proxy reaches it.
ENV FORWARDED_ALLOW_IPS=127.0.0.1
# Two glibc malloc arenas instead of one per thread (up to 8 per core): Streamlit runs every
# session's script in its own thread, and after 50 sessions had closed the server kept
# 8-18 MB more without this (bench/RESULTS.md, memory after sessions close).
ENV MALLOC_ARENA_MAX=2
CMD ["sh", "-c", "python -m data_loaders.seed --no-demo && exec streamlit run app.py --server.port 8501 --server.address 0.0.0.0"]
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health')"
