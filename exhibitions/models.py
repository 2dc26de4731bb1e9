"""Models of the exhibitions app."""
