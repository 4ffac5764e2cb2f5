"""The tree of units (bloc → party committees of enterprises → their units) with their history."""
