"""Indicators for the municipality: figures per period and neighbourhood, their counting
rules, charts, a map, exports and the half-year council report."""
