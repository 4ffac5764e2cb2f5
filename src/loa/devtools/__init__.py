"""Tools for development, demos and tests that are not part of the product's runtime."""
