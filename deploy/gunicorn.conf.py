"""gunicorn for the web process (deploy/systemd/kommunedialog-web.service): `gunicorn -c
deploy/gunicorn.conf.py config.wsgi`. A command-line option or GUNICORN_CMD_ARGS overrides any line here
(the rehearsal binds its own socket that way)."""

import multiprocessing

# Only nginx talks to the app: a local socket, group-writable for nginx (www-data), nothing on the network.
bind = "unix:/run/kommunedialog/gunicorn.sock"
umask = 0o007
# Synchronous workers behind nginx, which buffers slow clients; (2 × cores) + 1, gunicorn's rule.
workers = multiprocessing.cpu_count() * 2 + 1
# A page that takes longer is a fault; PDFs and mail are rendered by the task worker, never here.
timeout = 60
graceful_timeout = 30
# A worker is replaced after this many requests, so a slow leak never grows for long.
max_requests = 2000
max_requests_jitter = 200
# Each request is logged once by the app (JSON, with its request id: kommunedialog.core.logs).
accesslog = None
errorlog = "-"
# gunicorn's own lines (start, worker exits) as JSON too.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "kommunedialog.core.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "loggers": {"gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
