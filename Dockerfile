# One replica of the family online-safety plan app.
#
#   docker build -t family-plan .
#   docker run --rm -p 8501:8501 --read-only family-plan          # then open http://localhost:8501
#   docker run ... -e FAMILY_PLAN_SITE=/site -v /srv/plan-site:/site:ro family-plan   # a host's branding
#
# The app writes nothing at run time (answers live only in each session's memory; uploads are
# kept in memory too), so the root filesystem can be read-only and no volume is needed. It sends
# its own security headers (Content-Security-Policy, frame protection, nosniff, Referrer-Policy;
# no caching of downloads) and hides Streamlit's metrics: serve.py and serving/, so one replica
# on its own is safe to put on the internet behind any TLS terminator. Several replicas go behind
# a proxy with sticky sessions: see deploy/nginx.conf and deploy/kubernetes.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false \
    STREAMLIT_SERVER_HEADLESS=true

WORKDIR /app

# Pinned packages first, so that editing content or code does not reinstall them.
COPY requirements.txt constraints.txt ./
RUN pip install --no-cache-dir -r requirements.txt -c constraints.txt

# The app, its content and its Streamlit settings (usage statistics off, error details hidden).
COPY .streamlit/ .streamlit/
COPY app.py serve.py ./
COPY serving/ serving/
COPY web/ web/
COPY plan/ plan/
COPY content/ content/
# Compile now, so that Python never needs to write bytecode at run time. The user has no home:
# the app writes nothing (checked by running it as uid 10001 with HOME=/nonexistent).
RUN python -m compileall -q app.py serve.py serving web plan \
    && groupadd --gid 10001 app \
    && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app

USER 10001:10001
EXPOSE 8501

# slim has no curl: ask the health endpoint with Python's own urllib.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() == b'ok' else 1)"]

# serve.py, not app.py: it puts the security headers and session expiry around the app (app.py
# run alone refuses to serve families).
CMD ["streamlit", "run", "serve.py", "--server.address", "0.0.0.0", "--server.port", "8501"]
