"""Models of the ikm app."""
