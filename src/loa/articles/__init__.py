"""Articles: the ingestion frontier, stored articles with their fingerprints, and search."""
