"""Production: refuses to start without an explicit SECRET_KEY and allowed hosts; cookies secure."""

import os

from loa.config import env
from loa.config.settings.base import *  # noqa: F403
from loa.config.settings.base import VAR_DIR

PRODUCTION = True
DEBUG = False
SECRET_KEY = env.secret_key(production=True, directory=VAR_DIR)
if not os.environ.get("ALLOWED_HOSTS", "").strip():
    raise env.ConfigError("Chế độ production cần ALLOWED_HOSTS (tên miền phục vụ, cách nhau dấu phẩy).")
SESSION_COOKIE_SECURE = env.env_bool("LOA_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.env_int("LOA_HSTS_SECONDS", 31536000)
SECURE_SSL_REDIRECT = env.env_bool("LOA_SSL_REDIRECT", False)
# HSTS covers the host Loa is served on. Subdomains and the browsers' preload list commit the
# whole domain (often a ministry's or a party committee's, with other sites under it) to HTTPS,
# the preload list for months after it is undone: the domain's owner decides, not Loa.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.env_bool("LOA_HSTS_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env.env_bool("LOA_HSTS_PRELOAD", False)
# Deployment checks silenced on purpose (`loa manage check --deploy` reports nothing else):
# - W005, W021: the two HSTS options above stay off unless the domain's owner turns them on.
# - W008: Loa is served behind a reverse proxy that terminates TLS and redirects plain HTTP
#   (the proxy sees the request first; a redirect in Django loops when the proxy does not
#   forward the scheme). Served directly over TLS, set LOA_SSL_REDIRECT=true.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021", "security.W008"]
if env.env_bool("LOA_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
