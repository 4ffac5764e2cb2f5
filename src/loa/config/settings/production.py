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
if env.env_bool("LOA_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
