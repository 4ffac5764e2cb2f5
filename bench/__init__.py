"""`make bench`: speed and memory scenarios, printed as one table (never asserted in tests)."""
