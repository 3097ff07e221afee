"""Full-text search over published articles (to be written)."""
