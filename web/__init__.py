"""FastAPI front end (issue 4)."""
