"""Settings split by environment (base, local, production, test), all read from the environment."""
