"""Catalog views: ``public`` (browsing, search, product pages) and ``owner`` (the IKM's own products)."""
