"""Project configuration: settings, URLs, WSGI/ASGI entry points and environment parsing."""
