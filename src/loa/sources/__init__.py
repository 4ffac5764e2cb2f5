"""Press outlets and the sources (feeds, sitemaps, section pages) Loa polls, with their health."""
