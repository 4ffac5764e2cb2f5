"""Analysis: monitored organisations and their mentions, saved queries, sentiment, topics
and stories (articles about the same event across outlets)."""
