"""The read API at /api/v1/: what the pages show, with the same scoping, for programs holding a
personal key (`Authorization: Bearer …`). Built on Django Ninja, which also serves its OpenAPI
schema and docs page."""
