"""Coverage analytics: counts over time, tone, outlets, terms, stories and share of voice, for an
organisation or a query, read through the same scoping and the same search as the pages."""
