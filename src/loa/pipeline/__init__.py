"""The monitoring pipeline's plain-Python stages: fetch → discover/extract → dedup → archive.

No Django import here: each stage takes and returns typed records (see `outcomes`), and
the Django apps (sources, articles) persist them and count every outcome.
"""
